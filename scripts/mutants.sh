#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Mutation check of the test layers (not part of "make check"): apply each
# mutant in turn to a scratch copy of the committed tree, run the KUnit
# layer(s) that should catch it, and print per mutant "caught" with the
# failing tests, or "SURVIVED". Exits non-zero if any mutant survives or
# no longer applies (a mutant that does not apply fails loudly: the code
# it targets changed, so the mutant must be rewritten).
#
# usage: scripts/mutants.sh CACHE_DIR [REV [MUTANT...]]
#   REV: the commit to mutate (default HEAD); MUTANT: ids to run (default
#   all).
# Needs root (unshare -m): inside a private mount namespace the scratch
# copy is bind-mounted over this checkout, so the cached kernel tree's
# drivers/misc/memlayout link and every path in the build stay the same
# and only memlayout's objects rebuild. The build directories are copies,
# $CACHE_DIR/mutants/build-<layer>, never the ones "make check" uses.
set -u

cache=$1
rev=${2:-HEAD}
shift $(( $# < 2 ? $# : 2 ))
project=$(cd "$(dirname "$0")/.." && pwd -P)
work=$cache/mutants
scratch=$work/src
mkdir -p "$work"

# id|layers|file|sed program|what it breaks
# Each sed program must change the file; the layers are scripts/kunit.sh
# configurations. Ids 1-8 follow issue 7's list; 7 is issue 10's broken
# writer of the shared view (SPEC V2: it never makes the counter odd, nor
# moves it, so readers keep torn reads; the x86 layer's memlayout_race
# race_replace_vs_view must catch it), 8 is the 32-bit build's own check;
# 9-12 are issue 8's new commands (GET_LAYOUT, fingerprint, dry run,
# covering ranges); 13-24 issue 9's placement interface (SET_LAYOUT C4,
# GET_PLACEMENTS, fdinfo), 22-25 in the x86 layer (kmemleak, fault
# injection, devtmpfs); 26-31 issue 11's host fit, memlayout_host.c (the
# memlayout_host suite; fuzz/fuzz_host.c catches each as well); 36 issue
# 11's CHECK_HOST (host fit); 40-45 issue 12's KVM audit, memlayout_audit.c
# (the memlayout_audit suite; fuzz/fuzz_audit.c catches each as well);
# 46-49 issue 12's CHECK_KVM (the ioctl and memlayout_kvm.c; 48 in the x86
# layer, kmemleak); 50-54 issue 10's bucket index of the shared view,
# memlayout_view_fill_index() and memlayout_view_shift() (the
# memlayout_view suite: its brute-force index check, its probes through
# the index and its memlayout_view_shift() table; 54 matters only past
# 2^31 ranges, which the table's nr U32_MAX row reaches); 55-56 issue
# 10's one-pass C1/C2 build (R6 before R4; ml_shrink()).
mutants() {
	cat <<'EOF'
1|x86|memlayout_ioctl.c|/^VISIBLE_IF_KUNIT int ml_publish(/,/^}/s/^\tmemlayout_put(old);/\tmemlayout_free(old);/|ml_publish() frees the old layout at once (no reference, no RCU grace period)
2|default|memlayout_ioctl.c|/^VISIBLE_IF_KUNIT int ml_publish(/,/^}/s/^\t\tif (!left)$/\t\tif (true)/|ml_publish() publishes even though the reply cannot be written
3|default|memlayout_uapi.c|/^int memlayout_set_check_ranges(/,/^}/s/list != MEMLAYOUT_LIST_RAM && r\[i\].vnode/0/|memlayout_set_check_ranges() accepts a vnode on a hole
4|default|memlayout_core.c|s/l->max_ram_below_4gb = min_t(u64, end, MEMLAYOUT_4GB);/l->max_ram_below_4gb = end;/|Q6 max_ram_below_4gb loses its 4 GiB clamp
5|default|memlayout_ioctl.c|/^static void __exit /,/^}/s/^\trcu_barrier();//|module exit skips rcu_barrier()
6|x86|memlayout_ioctl.c|/^static int ml_set_layout(/,/^}/{/^free:/,/^}/s/^\tkvfree(mmio);//}|SET_LAYOUT leaks its copy of the MMIO list (kmemleak)
7|x86|memlayout_uapi.c|/^void memlayout_view_publish(/,/^}/{/^\tWRITE_ONCE(v->seq, seq + [12]);$/d}|memlayout_view_publish() skips the sequence counter: readers cannot see a replacement under way (SPEC V2)
8|i386|kunit/probe_kunit.c|s/^\t\t\tdiv64_u64_rem(x >> 11, span, &rem);/\t\t\trem = (x >> 11) % span;/|a plain u64 modulo (__umoddi3 on 32-bit kernels)
9|default|memlayout_ioctl.c|/^VISIBLE_IF_KUNIT int ml_get_map(/,/^}/s/if (g->count < l->nr) {/if (g->count + 1 < l->nr) {/|GET_LAYOUT accepts a buffer one entry short and writes past it
10|default|memlayout_fingerprint.c|/^void memlayout_fp_end(/,/^}/s/^\tif (vtl2)$/\tif (false)/|the fingerprint leaves out the VTL2 record (SPEC F1)
11|default|memlayout_uapi.c|/^bool memlayout_set_accepted(/,/^}/s/if (!(s->flags \& MEMLAYOUT_SET_DRY_RUN))/if (true)/|a dry-run SET_LAYOUT publishes its layout
12|default|memlayout_core.c|/^static void ml_covering(/,/^}/s/out->index = ml_entry_index(l, at);/out->index = at;/|PROBE's covering range gives the address-order index, not the index in its list
13|default|memlayout_uapi.c|/^static u32 ml_place_position(/,/^}/s/\t\t\treturn i;/\t\t\treturn i + 1;/|a C4 rejection names the request one position past it in the array
14|default|memlayout_ioctl.c|/^VISIBLE_IF_KUNIT int ml_get_placements(/,/^}/s/if (g->count < nr) {/if (g->count <= nr) {/|GET_PLACEMENTS refuses a buffer of exactly the right size (-EMSGSIZE)
15|default|memlayout_ioctl.c|/^VISIBLE_IF_KUNIT int ml_get_placements(/,/^}/s/^\tg->count = nr;$//|GET_PLACEMENTS answers the caller's capacity, not the number of placed ranges
16|default|memlayout_uapi.c|/^static int ml_check_place_reqs(/,/^}/s/if (pinned && r->size)/if (false)/|a reserved or fixed request with a size is accepted, the member ignored
17|default|memlayout_uapi.c|/^static int ml_check_place_source(/,/^}/s/{ s->flags & MEMLAYOUT_SET_VTL2, ML_SET_FIELD(flags) },/{ false, ML_SET_FIELD(flags) },/|C4 ignores MEMLAYOUT_SET_VTL2 instead of refusing it
18|default|memlayout_uapi.c|/^int memlayout_set_check(/,/^}/s/if (s->nr_place > MEMLAYOUT_NR_CLASSES \* limit)/if (s->nr_place >= MEMLAYOUT_NR_CLASSES * limit)/|R8 on the request array refuses 6 x max_ranges requests
19|default|memlayout_uapi.c|/^static void ml_reject_place(/,/^}/s/^\t\tpr->size = reqs\[s->reason.index\].size;//|a P1 or P2 reason loses the offending size
20|default|memlayout_uapi.c|/^static void ml_reject_place(/,/^}/s/s->reason.other_index = ml_place_position(reqs, n,/s->reason.other_index = e->other_index + 0 * ml_place_position(reqs, n,/|P3 names the second pinned range by its class index, not its array position
21|default|memlayout_uapi.c|/^u32 memlayout_nr_placed(/,/^}/s/return l->placement ? l->placement->nr : 0;/return 0;/|memlayout_nr_placed() reports no placement: GET_PLACEMENTS always reads 0
22|x86|memlayout_uapi.c|/^struct memlayout \*memlayout_set_place(/,/^}/s/^\t\tkvfree(pl);//|a placement whose layout is rejected (R5, R8 on a list) is leaked (kmemleak)
23|x86|memlayout_place.c|/^memlayout_place(/,/^}/s/!p.f.order .. !p.out) {/!p.f.order) {/|memlayout_place() goes on when its output array cannot be allocated
24|x86|memlayout_ioctl.c|/^static struct memlayout \*ml_build_placed(/,/^}/s/^\tkvfree(reqs);//|SET_LAYOUT leaks its copy of the C4 request array (kmemleak)
25|x86|memlayout_ioctl.c|/^static void memlayout_show_fdinfo(/,/^}/s/^\tif (l->placement)$/\tif (false)/|fdinfo leaves out the placed: line of a C4 layout (x86: the KUnit case opens the device through devtmpfs)
26|default|memlayout_host.c|/^static bool ml_fit_above(/,/^}/s/end > last + 1;/end >= last + 1;/|H1/H2: VTL2 ending exactly at 2^phys_bits, or at aperture_last + 1, conflicts (the edge taken as inclusive)
27|default|memlayout_host.c|/^static int ml_fit_cpu(/,/^}/s/memlayout_lower_bound(l, c.host_start)/memlayout_lower_bound(l, last)/|H1: a range ending exactly at 2^phys_bits conflicts
28|default|memlayout_host.c|/^static int ml_fit_aperture(/,/^}/s/l->starts\[below\] < d->aperture_start/l->starts[below] <= d->aperture_start/|H2's prefix one range too long: RAM starting exactly at aperture_start conflicts
29|default|memlayout_host.c|/^static int ml_fit_region(/,/^}/s/bool vtl2 = (l->flags \& MEMLAYOUT_HAS_VTL2) \&\&/bool vtl2 = false \&\&/|H3 skips VTL2
30|default|memlayout_host.c|/^static int ml_fit_region(/,/^}/s/l->starts\[to\] <= r->last/l->starts[to] < r->last/|H3 misses a RAM range that starts at a region's last byte
31|default|memlayout_host.c|/^static int ml_fit_walk(/,/^}/s/if (vtl2 \&\& l->vtl2_start < l->starts\[i\]) {/if (false) {/|VTL2 reported after the ranges walked, not at its address (the documented order)
36|default|memlayout_ioctl.c|/^static int ml_check_host(/,/^}/s/if (count > c->count) {/if (count >= c->count) {/|CHECK_HOST refuses a buffer of exactly the right size, and answers -EMSGSIZE for a layout that fits (SPEC H1-H3, count negotiation)
40|default|memlayout_audit.c|/^static int ml_audit_piece(/,/^}/s/else if (s->flags \& MEMLAYOUT_KVM_MEM_READONLY)/else if (false)/|H4: RAM under a read-only memslot is taken as backed (no READONLY finding)
41|default|memlayout_audit.c|/^int memlayout_kvm_audit(/,/^}/s/if (l->flags \& MEMLAYOUT_HAS_VTL2) {/if (false) {/|H4: VTL2 left out of the sweep: a memslot over it is reported OUTSIDE (VTL2 counts as inside)
42|default|memlayout_audit.c|/^static bool ml_audit_slots_valid(/,/^}/s/if (s->start < p->end)/if (s->start + 1 < p->end)/|H4: memslots overlapping by one byte are accepted (not -EINVAL)
43|default|memlayout_audit.c|/^static int ml_audit_as(/,/^}/s/^\t\tif (ret)$/\t\tif (false)/|H4: an emit error does not stop the audit
44|default|memlayout_audit.c|/^int memlayout_kvm_audit(/,/^}/s/j < nr \&\& slots\[j\].as_id == slots\[i\].as_id;/j < nr;/|H4: every memslot audited in the first one's address space (address spaces merged)
45|default|memlayout_audit.c|/^static void ml_audit_item(/,/^}/s/it->index = memlayout_entry_index(l, k);/it->index = k;/|H4: a finding names its layout range by address-order index, not its index in its list
46|default|memlayout_ioctl.c|/^VISIBLE_IF_KUNIT int ml_kvm_answer(/,/^}/s/if (count > c->count) {/if (count >= c->count) {/|CHECK_KVM refuses a buffer of exactly the right size (SPEC H4, count negotiation)
47|default|memlayout_kvm.c|s/^\treturn -ENOPKG;$/\treturn -EINVAL;/|without KVM, CHECK_KVM answers "not a VM" (-EINVAL) instead of "KVM not loaded" (-ENOPKG)
48|x86|memlayout_ioctl.c|/^static int ml_kvm_write(/,/^}/s/^\tkfree(o.buf);//|CHECK_KVM leaks its page buffer of findings (kmemleak)
49|default|memlayout_ioctl.c|/^static int ml_kvm_flush(/,/^}/s/^\to->done += o->n;//|CHECK_KVM writes each page of findings over the first
50|default|memlayout_uapi.c|/^static void memlayout_view_fill_index(/,/^}/s/starts\[j + 1\] <= at/starts[j + 1] < at/|the bucket index skips a range starting exactly on a bucket's first byte (index[b] one range early; SPEC V1)
51|default|memlayout_uapi.c|/^static void memlayout_view_fill_index(/,/^}/s/index\[2 \* nr - 1\] = nr - 1;/index[2 * nr - 1] = nr - 2;/|the bucket index's last entry is nr - 2: an address in the last bucket never reaches the last range (SPEC V1)
52|default|memlayout_uapi.c|/^static void memlayout_view_fill_index(/,/^}/s/at = b > (U64_MAX >> shift) ? U64_MAX : (u64)b << shift;/at = (u64)b << shift;/|the bucket index wraps b << shift past 2^64 instead of taking it as above every start (SPEC V1)
53|default|memlayout_uapi.c|/^u32 memlayout_view_shift(/,/^}/s/((end - 1) >> shift) >= buckets)/((end - 1) >> shift) > buckets)/|memlayout_view_shift() one too small when the top address falls exactly in bucket 2 * nr - 1 (SPEC V1)
54|default|memlayout_uapi.c|/^u32 memlayout_view_shift(/,/^}/s/u64 buckets = 2 \* (u64)nr - 1;/u64 buckets = 2 * nr - 1;/|memlayout_view_shift() counts 2 * nr - 1 buckets in 32 bits (wrong past 2^31 ranges)
55|default|memlayout_core.c|/^static int ml_emit(/,/^}/s/if (b->req->source == MEMLAYOUT_FROM_RANGES)/if (true)/|placing (C1/C2) rejects an overlap at once: R4 before R6, against the documented order
56|default|memlayout_core.c|/^static noinline void ml_shrink(/,/^}/s/^\t\tl->list_first\[list\] -= gap;$/\t\t;/|a placed layout with fewer RAM chunks than its room keeps the holes' slices of the order where they were (queries by list read the wrong ranges)
EOF
}

if [ "$(id -u)" -ne 0 ]; then
	echo "mutants: needs root for unshare -m" >&2
	exit 2
fi

# Scratch build directories: copies of the warm ones, so that only the
# mutated objects rebuild.
for layer in default x86 i386; do
	if [ ! -d "$work/build-$layer" ] && [ -d "$cache/build-$layer" ]; then
		cp -a "$cache/build-$layer" "$work/build-$layer"
	fi
done

summary=$work/summary.txt
: > "$summary"
rm -f "$work"/failures-*

# A fresh scratch copy of REV with this checkout's harness.
scratch_copy() {
	rm -rf "$scratch"
	mkdir -p "$scratch"
	git -C "$project" archive "$rev" | tar -x -C "$scratch"
	# The harness is this checkout's, whatever REV is: an older REV gets
	# its own tests judged by today's layers.
	cp "$project/scripts/kunit.sh" "$project/scripts/kreports.py" \
		"$project/scripts/kernel-tree.sh" "$scratch/scripts/"
	cp "$project"/kunit/*.kunitconfig "$scratch/kunit/"
	# git archive keeps commit times, older than the copied objects:
	# make must see every source as new.
	find "$scratch" -type f -exec touch {} +
}

# Runs one layer on the scratch copy; writes the sorted failure
# signatures (failed tests, memlayout reports, a broken build) to
# $work/failures-TAG-LAYER.
run_scratch() {
	tag=$1
	layer=$2
	out=$work/mutant-$tag-$layer.out
	# shellcheck disable=SC2016 # expanded by the inner shell
	unshare -m --propagation private sh -c '
		mount --bind "$1" "$2" || exit 2
		KUNIT_BUILD_ROOT="$3" "$2/scripts/kunit.sh" "$4" "$5"
	' sh "$scratch" "$project" "$work" "$cache" "$layer" \
		< /dev/null > "$out" 2>&1
	{
		sed -n 's/^\[[0-9:]*\] \(\[\(FAILED\|CRASHED\)\] .*\)/\1/p' "$out"
		grep -a -E '^kreports: (memlayout|no kmemleak)' "$out" |
			sed -E 's/\+0x[0-9a-f]+\/0x[0-9a-f]+//g; s/0x[0-9a-f]+/ADDR/g'
		grep -q -a -E '^kunit\[[a-z0-9]+\]: [1-9][0-9]* passed' "$out" ||
			echo "no test passed: $(grep -a -m 1 -E 'error|undefined reference' "$out")"
	} | sort -u > "$work/failures-$tag-$layer"
}

mutants | while IFS='|' read -r id layers file prog what; do
	if [ $# -gt 0 ] && ! echo " $* " | grep -q " $id "; then
		continue
	fi
	scratch_copy
	if [ "$id" = 5 ] && ! grep -q 'rcu_barrier();' "$scratch"/memlayout_*.c; then
		echo "mutant $id: N/A: the module calls no rcu_barrier() (layouts go with kvfree_rcu(), which needs none at exit)" | tee -a "$summary"
		continue
	fi
	# The unmutated tree's failures on each layer, once: a mutant is
	# caught by what it adds.
	for layer in $layers; do
		[ -f "$work/failures-base-$layer" ] && continue
		run_scratch base "$layer"
		echo "baseline $layer: $(wc -l < "$work/failures-base-$layer") failures" | tee -a "$summary"
		sed 's/^/  /' "$work/failures-base-$layer" | tee -a "$summary"
	done
	cp "$scratch/$file" "$work/orig.c"
	sed -i "$prog" "$scratch/$file"
	if cmp -s "$scratch/$file" "$work/orig.c"; then
		echo "mutant $id: DOES NOT APPLY to $file at $rev: $what" | tee -a "$summary"
		echo 1 > "$work/failed"
		continue
	fi
	diff -u "$work/orig.c" "$scratch/$file" | sed -n '3,$p' > "$work/mutant-$id.diff"
	caught=""
	for layer in $layers; do
		run_scratch "$id" "$layer"
		new=$(comm -13 "$work/failures-base-$layer" "$work/failures-$id-$layer" |
			head -n 6 | tr '\n' ';')
		[ -n "$new" ] && caught="$caught $layer: $new"
	done
	if [ -n "$caught" ]; then
		echo "mutant $id: caught ($what) by$caught" | tee -a "$summary"
	else
		echo "mutant $id: SURVIVED ($what); layers: $layers" | tee -a "$summary"
		echo 1 > "$work/failed"
	fi
done

echo "=== mutants of $(git -C "$project" rev-parse --short "$rev")"
cat "$summary"
if [ -f "$work/failed" ]; then
	rm -f "$work/failed"
	exit 1
fi
exit 0
