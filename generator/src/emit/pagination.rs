//! Pagination of list operations: the request implements `Paginated` (where its offset and page
//! size are), the success type implements `Page` (where its items and total are), and the client
//! gets `<method>_pages` and `<method>_items`. The streams themselves are generic runtime code
//! (`templates/runtime/pagination.rs`).

use proc_macro2::TokenStream;
use quote::quote;

use super::rust_types::{ident, rust_type, type_path};
use crate::ir::{Model, OffsetUnit, OperationInfo, PageParam, PathStep, Shape, TypeExpr};

/// The place of a pagination parameter in the request: `self.offset` or `self.body.offset`.
pub fn access(op: &OperationInfo, p: &PageParam) -> TokenStream {
    let id = ident(&p.rust);
    match (p.in_body, &op.names.body) {
        (true, Some(body)) => {
            let b = ident(body);
            quote!(self.#b.#id)
        }
        _ => quote!(self.#id),
    }
}

/// An expression walking a response path from `self`: a place while every step is required,
/// an `Option` from the first optional step on.
enum Walk {
    Place(TokenStream),
    Opt(TokenStream),
}

/// Walks `path` from `self`, borrowing (`borrow`) or moving. The last field goes through
/// `finish_opt` when it is an `Option` (which must give an `Option`) and through `finish_req`
/// otherwise.
fn walk(
    path: &[PathStep],
    borrow: bool,
    finish_opt: impl Fn(TokenStream) -> TokenStream,
    finish_req: impl Fn(TokenStream) -> TokenStream,
) -> Walk {
    let mut cur = Walk::Place(quote!(self));
    for (i, f) in path.iter().enumerate() {
        let optional = &f.optional;
        let id = ident(&f.rust);
        let last = i + 1 == path.len();
        let step = |base: TokenStream| -> TokenStream {
            match (last, optional, borrow) {
                (true, true, _) => finish_opt(quote!(#base.#id)),
                (true, false, _) => finish_req(quote!(#base.#id)),
                (false, true, true) => quote!(#base.#id.as_ref()),
                (false, false, true) => quote!(&#base.#id),
                (false, _, false) => quote!(#base.#id),
            }
        };
        cur = match cur {
            Walk::Place(p) => {
                let e = if !last && !optional && borrow {
                    // Stay a place: `self.a.b`, not `&self.a` then `.b`.
                    quote!(#p.#id)
                } else {
                    step(p)
                };
                if *optional {
                    Walk::Opt(e)
                } else {
                    Walk::Place(e)
                }
            }
            Walk::Opt(o) => {
                let e = step(quote!(v));
                if *optional {
                    Walk::Opt(quote!(#o.and_then(|v| #e)))
                } else {
                    Walk::Opt(quote!(#o.map(|v| #e)))
                }
            }
        };
    }
    cur
}

/// The `Paginated` and `Page` impls and the two stream methods of a paginated operation.
pub fn streams(model: &Model, op: &OperationInfo) -> Result<TokenStream, String> {
    let Some(p) = &op.pagination else {
        return Ok(quote!());
    };
    let fail = |what: &str| format!("pagination of {}: {what}", op.id);
    let out_name = op.success_type().ok_or_else(|| fail("no success type"))?;
    let group = op.group.as_str();
    let req = ident(&op.names.request);
    let out = type_path(model, out_name, group);

    let getter = |f: &PageParam| {
        let a = access(op, f);
        match (f.optional, f.long) {
            (true, false) => quote!(#a.map(i64::from)),
            (true, true) => quote!(#a),
            (false, false) => quote!(::std::option::Option::Some(i64::from(#a))),
            (false, true) => quote!(::std::option::Option::Some(#a)),
        }
    };
    let setter = |f: &PageParam, arg: TokenStream| {
        let a = access(op, f);
        let value = if f.long {
            quote!(#arg)
        } else {
            quote!(crate::pagination::narrow(#arg)?)
        };
        if f.optional {
            quote!(#a = ::std::option::Option::Some(#value);)
        } else {
            quote!(#a = #value;)
        }
    };
    let get_offset = getter(&p.offset);
    let get_size = getter(&p.limit);
    let set_offset = setter(&p.offset, quote!(offset));
    let set_size = setter(&p.limit, quote!(size));

    // Items and total of the answer.
    let items_path = &p.items.steps;
    let items_field = p.items.last().ok_or_else(|| fail("empty items path"))?;
    let item_ty = match &items_field.shape {
        Shape::List { item, .. } => rust_type(model, item, group),
        _ => return Err(fail("items is not a list")),
    };
    let items = match walk(
        items_path,
        true,
        |e| quote!(#e.as_deref()),
        |e| quote!(#e.as_slice()),
    ) {
        Walk::Opt(o) => quote!(#o.unwrap_or_default()),
        Walk::Place(p) => p,
    };
    let into_items = match walk(items_path, false, |e| e, |e| e) {
        Walk::Opt(o) => quote!(#o.unwrap_or_default()),
        Walk::Place(p) => p,
    };
    let total = match &p.total {
        Some(t) => {
            let long = t.last().is_some_and(|f| f.ty == TypeExpr::Long);
            // Integers are `Copy`: the last step copies the value out.
            match (walk(&t.steps, true, |e| e, |e| e), long) {
                (Walk::Opt(o), false) => quote!(#o.map(i64::from)),
                (Walk::Opt(o), true) => o,
                (Walk::Place(p), false) => quote!(::std::option::Option::Some(i64::from(#p))),
                (Walk::Place(p), true) => quote!(::std::option::Option::Some(#p)),
            }
        }
        None => quote!(::std::option::Option::None),
    };

    let method = op.names.method.as_str();
    let pages_fn = ident(
        op.names
            .pages
            .as_deref()
            .ok_or_else(|| fail("no page stream name"))?,
    );
    let items_fn = ident(
        op.names
            .items
            .as_deref()
            .ok_or_else(|| fail("no item stream name"))?,
    );
    let unit = match p.offset_unit {
        OffsetUnit::Record => "a record offset",
        OffsetUnit::Page => "a page number",
    };
    let pages_doc = format!(
        " Every page of [`Client::{method}`](crate::Client::{method}), as a stream: `{}` is {unit}, advanced until the listing ends (see [`crate::pagination`]).",
        p.offset.wire
    );
    let items_doc = format!(
        " Every item (`{}`) of [`Client::{method}`](crate::Client::{method}), across pages, as a stream (see [`crate::pagination`]).",
        p.items.text
    );
    let deprecated = match &op.deprecated {
        Some(d) => {
            let note = format!(
                "use `{}` ({}) instead: {}",
                d.replacement,
                op.names.replacement_method.as_deref().unwrap_or_default(),
                d.note
            );
            quote!(#[deprecated(note = #note)])
        }
        None => quote!(),
    };
    let allow_deprecated = if op.deprecated.is_some() {
        quote!(#[allow(deprecated)])
    } else {
        quote!()
    };
    Ok(quote! {
        impl crate::pagination::Paginated for #req {
            fn offset(&self) -> ::std::option::Option<i64> {
                #get_offset
            }
            fn set_offset(&mut self, offset: i64) -> ::std::result::Result<(), crate::pagination::PaginationError> {
                #set_offset
                ::std::result::Result::Ok(())
            }
            fn page_size(&self) -> ::std::option::Option<i64> {
                #get_size
            }
            fn set_page_size(&mut self, size: i64) -> ::std::result::Result<(), crate::pagination::PaginationError> {
                #set_size
                ::std::result::Result::Ok(())
            }
        }

        impl crate::pagination::Page for #out {
            type Item = #item_ty;
            fn items(&self) -> &[#item_ty] {
                #items
            }
            fn into_items(self) -> ::std::vec::Vec<#item_ty> {
                #into_items
            }
            fn total(&self) -> ::std::option::Option<i64> {
                #total
            }
        }

        #allow_deprecated
        impl crate::Client {
            #[doc = #pages_doc]
            #deprecated
            pub fn #pages_fn(&self, request: #req) -> crate::pagination::Pages<#req> {
                crate::pagination::Pages::new(self.clone(), request)
            }
            #[doc = #items_doc]
            #deprecated
            pub fn #items_fn(&self, request: #req) -> crate::pagination::Items<#req> {
                crate::pagination::Items::new(self.clone(), request)
            }
        }
    })
}
