/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libmemlayout: guest-physical memory layouts for VMMs, from userspace.
 *
 * One handle type, two back ends with the same calls:
 *
 * * memlayout_open() - /dev/memlayout: every call is the ioctl of the same
 *   name (Documentation/userspace-api/memlayout.rst).
 * * memlayout_offline() - the module's own core (memlayout_core.c, compiled
 *   unchanged) in this process: no module, no device, same errnos and
 *   reasons, so a layout can be planned offline and committed to the
 *   device with the same code.
 *
 * Every function returning int returns 0 or a negative errno (and sets
 * errno to its positive value). See Documentation/userspace-api/libmemlayout.rst.
 */
#ifndef _LIBMEMLAYOUT_H
#define _LIBMEMLAYOUT_H

#include <stddef.h>
#include <stdint.h>
#include <linux/memlayout.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define MEMLAYOUT_API __attribute__((__visibility__("default")))
#else
#define MEMLAYOUT_API
#endif

/* The device node memlayout_open(NULL) opens. */
#define MEMLAYOUT_DEVICE		"/dev/memlayout"
/* R8 limit of an offline handle created with max_ranges 0. */
#define MEMLAYOUT_OFFLINE_MAX_RANGES	4096U
/* Room memlayout_strerror() needs for any message. */
#define MEMLAYOUT_STRERROR_LEN		256

/* A device file or an offline layout; opaque. */
struct memlayout_handle;

/* ---- names and messages ------------------------------------------------ */

/*
 * The short names used in messages and in memlayoutctl's JSON; NULL for a
 * value this library does not know.
 *
 * memlayout_rule_name(): "none", "R1" .. "R8", "flags", "reserved", "size".
 * memlayout_list_name(): "none", "ram", "mmio", "pci_ecam", "pci_mmio",
 *                        "vtl2", "nodes".
 * memlayout_kind_name(): "none", "ram", "mmio", "pci_ecam", "pci_mmio".
 * memlayout_field_name(): the member a MEMLAYOUT_REASON_* reason.field
 *   points at: with list MEMLAYOUT_LIST_NONE, a member of struct
 *   memlayout_set ("ram_size", "mmio_ptr", "vtl2", ...); with any other
 *   list, a member of struct memlayout_range ("vnode", "reserved").
 */
MEMLAYOUT_API const char *memlayout_rule_name(uint32_t rule);
MEMLAYOUT_API const char *memlayout_list_name(uint32_t list);
MEMLAYOUT_API const char *memlayout_kind_name(uint32_t kind);
MEMLAYOUT_API const char *memlayout_field_name(uint32_t list, uint32_t field);

/*
 * memlayout_strerror() - one line for a SET_LAYOUT result
 * @r: the reason SET_LAYOUT wrote (may be NULL: the errno alone).
 * @err: the errno, negative or positive (0: success).
 * @buf, @len: where to write; the message is cut to fit, always NUL
 *             terminated when @len > 0.
 *
 * Names the rule, the list and index, the other range of R4/R7 and the
 * field of an interface reason, then the errno's text, for example
 * "R4 overlap: mmio[1] overlaps ram[0]: File exists".
 * Return: @buf.
 */
MEMLAYOUT_API char *memlayout_strerror(const struct memlayout_reason *r,
				       int err, char *buf, size_t len);

/* ---- handles ----------------------------------------------------------- */

/*
 * memlayout_open() - open the device (NULL: MEMLAYOUT_DEVICE), O_CLOEXEC.
 * Return: a handle, or NULL with errno set.
 */
MEMLAYOUT_API struct memlayout_handle *memlayout_open(const char *path);

/*
 * memlayout_offline() - an offline handle, holding no layout yet
 * @max_ranges: the R8 limit per list; 0 means MEMLAYOUT_OFFLINE_MAX_RANGES
 *              (the module parameter's default).
 * Return: a handle, or NULL with errno set (ENOMEM).
 */
MEMLAYOUT_API struct memlayout_handle *memlayout_offline(uint32_t max_ranges);

/* Closes the device or frees the offline layout; NULL is a no-op. */
MEMLAYOUT_API void memlayout_close(struct memlayout_handle *h);

/* The device's file descriptor, or -1 for an offline handle. */
MEMLAYOUT_API int memlayout_fd(const struct memlayout_handle *h);

/*
 * memlayout_get_info() - MEMLAYOUT_IOC_GET_INFO; @info->size and flags are
 * set by the library. Offline: what this library's core supports.
 */
MEMLAYOUT_API int memlayout_get_info(struct memlayout_handle *h,
				     struct memlayout_info *info);

/*
 * memlayout_set() - MEMLAYOUT_IOC_SET_LAYOUT
 * @s: the request exactly as the ioctl takes it (pointers as
 *     (uint64_t)(uintptr_t) addresses of this process); @s->size 0 means
 *     sizeof(*s). @s->reason and @s->generation are written back as the
 *     ioctl writes them, on success and on rejection.
 *
 * Offline, the same checks run in the same order as in the kernel (the
 * interface checks of memlayout_ioctl.c, then the core's rules), with the
 * same errno and reason; the arrays must be readable (there is no -EFAULT).
 * Return: 0, or the negative errno (reason in @s->reason).
 */
MEMLAYOUT_API int memlayout_set(struct memlayout_handle *h,
				struct memlayout_set *s);

/* memlayout_get_stats() - MEMLAYOUT_IOC_GET_STATS (-ENOENT: no layout). */
MEMLAYOUT_API int memlayout_get_stats(struct memlayout_handle *h,
				      struct memlayout_stats *st);

/*
 * memlayout_get_ranges() - one list, all of it (MEMLAYOUT_LIST_RAM, _MMIO,
 * _PCI_ECAM, _PCI_MMIO or _VTL2)
 * @ranges: receives a malloc()ed array (free() it), NULL when empty.
 * @count: receives the number of ranges.
 * @generation: receives the generation read (may be NULL).
 *
 * On the device, the -EMSGSIZE size negotiation is done here (retried if
 * the list grows in between).
 */
MEMLAYOUT_API int memlayout_get_ranges(struct memlayout_handle *h,
				       uint32_t list,
				       struct memlayout_range **ranges,
				       uint32_t *count, uint64_t *generation);

/*
 * memlayout_probe_batch() - MEMLAYOUT_IOC_PROBE: the MEMLAYOUT_KIND_* of each of
 * @count addresses, all answered by one layout (its generation in
 * @generation, which may be NULL). @count 0 is a no-op returning 0.
 */
MEMLAYOUT_API int memlayout_probe_batch(struct memlayout_handle *h,
					const uint64_t *addrs, uint32_t *kinds,
					uint32_t count, uint64_t *generation);

#ifdef __cplusplus
}
#endif

#endif /* _LIBMEMLAYOUT_H */
