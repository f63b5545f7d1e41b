// SPDX-License-Identifier: GPL-2.0
//! Stand-in for the `thiserror` crate, enough for the seed's `Error`: an
//! enum whose variants are all units, each with `#[error("message")]`.
//! Generates `Display` (the message) and `std::error::Error`.

use proc_macro::{Delimiter, TokenStream, TokenTree};

/// `#[derive(Error)]` for an enum of unit variants.
#[proc_macro_derive(Error, attributes(error))]
pub fn derive_error(input: TokenStream) -> TokenStream {
    let mut tokens = input.into_iter();
    let mut name = None;
    let mut body = None;
    while let Some(t) = tokens.next() {
        if let TokenTree::Ident(i) = &t {
            if i.to_string() == "enum" {
                if let Some(TokenTree::Ident(n)) = tokens.next() {
                    name = Some(n.to_string());
                }
            }
        }
        if let TokenTree::Group(g) = &t {
            if g.delimiter() == Delimiter::Brace && name.is_some() {
                body = Some(g.stream());
            }
        }
    }
    let name = name.expect("derive(Error): only enums are supported");
    let body = body.expect("derive(Error): enum without a body");

    let mut arms = String::new();
    let mut message: Option<String> = None;
    for t in body {
        match t {
            TokenTree::Group(g) if g.delimiter() == Delimiter::Bracket => {
                let mut inner = g.stream().into_iter();
                if let Some(TokenTree::Ident(i)) = inner.next() {
                    if i.to_string() == "error" {
                        if let Some(TokenTree::Group(args)) = inner.next() {
                            message = Some(args.stream().to_string());
                        }
                    }
                }
            }
            TokenTree::Ident(v) => {
                let m = message
                    .take()
                    .unwrap_or_else(|| panic!("derive(Error): {} has no #[error]", v));
                arms.push_str(&format!("{}::{} => f.write_str({}),", name, v, m));
            }
            _ => {}
        }
    }
    format!(
        "impl ::std::fmt::Display for {n} {{
             fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {{
                 match self {{ {arms} }}
             }}
         }}
         impl ::std::error::Error for {n} {{}}",
        n = name,
        arms = arms
    )
    .parse()
    .unwrap()
}
