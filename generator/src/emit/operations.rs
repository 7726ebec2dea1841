//! Per operation: a metadata constant, a request struct with constructor and setters, its wire
//! encoding and validation, and one async `Client` method. The HTTP work itself is done by one
//! generic function of the runtime, so each operation adds little code to compile.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::rust_types::{doc_attrs, ident, rust_type, type_path};
use crate::ir::ParamLocation;
use crate::ir::{FieldInfo, Model, OperationInfo, OutcomeLookup, Shape, TypeExpr, TypeInfo};

/// Validation calls for one value: the constraints its shape carries.
fn constraint_calls(access: TokenStream, wire: &str, shape: &Shape, optional: bool) -> TokenStream {
    let value = if optional {
        quote!(#access.as_ref())
    } else {
        quote!(::std::option::Option::Some(&#access))
    };
    match shape {
        Shape::Text {
            min_length,
            max_length,
            ..
        } if min_length.is_some() || max_length.is_some() => {
            let min = opt_u64(*min_length);
            let max = opt_u64(*max_length);
            let text = if optional {
                quote!(#access.as_deref())
            } else {
                quote!(::std::option::Option::Some(#access.as_str()))
            };
            quote!(v.length(#wire, #text, #min, #max);)
        }
        Shape::Integer {
            long,
            minimum,
            maximum,
            max_digits,
        } => {
            // The validator takes `i64`; a `long` already is one (clippy: useless_conversion).
            let widened = if *long {
                quote!(#value.copied())
            } else {
                quote!(#value.map(|n| i64::from(*n)))
            };
            let range = (minimum.is_some() || maximum.is_some()).then(|| {
                let min = opt_i64(*minimum);
                let max = opt_i64(*maximum);
                quote!(v.range(#wire, #widened, #min, #max);)
            });
            let digits = max_digits.map(|d| quote!(v.digits(#wire, #widened, #d);));
            quote!(#range #digits)
        }
        Shape::List {
            item,
            min_items,
            max_items,
        } => {
            let size = (min_items.is_some() || max_items.is_some()).then(|| {
                let min = opt_u64(*min_items);
                let max = opt_u64(*max_items);
                quote!(v.items(#wire, #value.map(|l| l.len()), #min, #max);)
            });
            let nested = matches!(item.as_ref(), Shape::Object(_)).then(|| {
                quote! {
                    if let ::std::option::Option::Some(list) = #value {
                        for (i, item) in list.iter().enumerate() {
                            v.nested_index(#wire, i, |v| crate::request::Validate::validate(item, v));
                        }
                    }
                }
            });
            quote!(#size #nested)
        }
        Shape::Object(_) => quote! {
            if let ::std::option::Option::Some(inner) = #value {
                v.nested(#wire, |v| crate::request::Validate::validate(inner, v));
            }
        },
        // Codes are enums of the documented values: their range is the codes themselves.
        _ => quote!(),
    }
}

fn opt_u64(v: Option<u64>) -> TokenStream {
    match v {
        Some(n) => quote!(::std::option::Option::Some(#n)),
        None => quote!(::std::option::Option::None),
    }
}
fn opt_i64(v: Option<i64>) -> TokenStream {
    match v {
        Some(n) => quote!(::std::option::Option::Some(#n)),
        None => quote!(::std::option::Option::None),
    }
}

/// Checks of a field or code that only some sites document (spec `sites`): the validator
/// knows the site the call goes to.
fn site_calls(model: &Model, f: &FieldInfo) -> TokenStream {
    let id = ident(&f.rust);
    let wire = f.name.as_str();
    let field = (!f.sites.is_empty()).then(|| {
        let sites = f.sites.iter().map(String::as_str);
        let required = f.site_required;
        quote!(v.site_field(#wire, self.#id.is_some(), &[#(#sites),*], #required);)
    });
    let code = match &f.shape {
        Shape::Code(cl) => {
            let codes: Vec<TokenStream> = model[*cl]
                .def
                .values
                .iter()
                .filter(|c| !c.sites.is_empty())
                .map(|c| {
                    let text = match &c.value {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    let sites = c.sites.iter().map(String::as_str);
                    quote!((#text, &[#(#sites),*]))
                })
                .collect();
            (!codes.is_empty()).then(|| {
                let value = if f.required {
                    quote!(::std::option::Option::Some(self.#id.to_string()))
                } else {
                    quote!(self.#id.as_ref().map(|c| c.to_string()))
                };
                quote!(v.site_code(#wire, #value.as_deref(), &[#(#codes),*]);)
            })
        }
        _ => None,
    };
    quote!(#field #code)
}

/// `impl Validate` for a type sent in requests.
pub fn validate_impl(model: &Model, t: &TypeInfo) -> TokenStream {
    let name = ident(&t.rust);
    let body = t.fields.iter().map(|f| {
        let id = ident(&f.rust);
        let constraints = constraint_calls(quote!(self.#id), &f.name, &f.shape, !f.required);
        let sites = site_calls(model, f);
        quote!(#constraints #sites)
    });
    let body: Vec<TokenStream> = body.filter(|b| !b.is_empty()).collect();
    // A type without documented constraints still implements the trait, with nothing to validate.
    let v = if body.is_empty() {
        quote!(_v)
    } else {
        quote!(v)
    };
    quote! {
        impl crate::request::Validate for #name {
            fn validate(&self, #v: &mut crate::request::Validator) {
                #(#body)*
            }
        }
    }
}

/// Everything generated for one operation.
pub fn operation(model: &Model, op: &OperationInfo) -> TokenStream {
    let req_name = ident(&op.names.request);
    let meta_name = ident(&op.names.meta);
    let method = ident(&op.names.method);
    let group = op.group.as_str();

    // Metadata.
    let id = op.id.as_str();
    let http_method = op.method.as_str();
    let path = op.path.as_str();
    let idempotent = op.idempotent;
    let rate = match &op.rate_limit {
        Some(r) => {
            let (n, s) = (r.requests, r.per_seconds);
            quote!(::std::option::Option::Some(crate::request::RateLimit { requests: #n, per_seconds: #s }))
        }
        None => quote!(::std::option::Option::None),
    };
    let errors = op.errors.iter().map(|(s, c)| quote!((#s, #c)));
    let outcome_lookup = match &op.outcome_lookup {
        Some(OutcomeLookup::Operation(id)) => quote!(::std::option::Option::Some(#id)),
        _ => quote!(::std::option::Option::None),
    };
    let sensitive_params = op
        .params
        .iter()
        .filter(|p| p.sensitive && matches!(p.location, ParamLocation::Path | ParamLocation::Query))
        .map(|p| p.name.as_str());
    let success: Vec<u16> = op
        .responses
        .iter()
        .map(|r| r.status)
        .filter(|s| (200..300).contains(s))
        .collect();
    let paginated = match &op.pagination {
        Some(p) => {
            let (o, l, i) = (
                p.offset.wire.as_str(),
                p.limit.wire.as_str(),
                p.items.text.as_str(),
            );
            let page = matches!(p.offset_unit, crate::ir::OffsetUnit::Page);
            let total = match &p.total {
                Some(t) => {
                    let t = t.text.as_str();
                    quote!(::std::option::Option::Some(#t))
                }
                None => quote!(::std::option::Option::None),
            };
            let first = p.first_offset;
            let size = match p.limit.default {
                Some(n) => quote!(::std::option::Option::Some(#n)),
                None => quote!(::std::option::Option::None),
            };
            quote!(::std::option::Option::Some(crate::request::PaginationMeta { offset: #o, limit: #l, offset_counts_pages: #page, items: #i, total: #total, first_offset: #first, default_page_size: #size }))
        }
        None => quote!(::std::option::Option::None),
    };
    let meta_doc = format!(" Metadata of `{}`.", op.id);

    // Request struct.
    let mut fields = Vec::new();
    let mut ctor_args = Vec::new();
    let mut ctor_inits = Vec::new();
    let mut setters = Vec::new();
    let mut writes = Vec::new();
    let mut validations = Vec::new();
    let mut debug_entries = Vec::new();
    let mut any_sensitive = false;
    for p in &op.params {
        let rn = p.rust.as_str();
        let fid = ident(rn);
        let inner = rust_type(model, &p.shape, group);
        let optional = !p.required;
        let ty = if optional {
            quote!(::std::option::Option<#inner>)
        } else {
            inner.clone()
        };
        let d = doc_attrs(&docs::param(p));
        fields.push(quote! { #d pub #fid: #ty, });
        if optional {
            ctor_inits.push(quote!(#fid: ::std::option::Option::None,));
            let sd = format!(" Sets `{}`.", p.name);
            setters.push(quote! {
                #[doc = #sd]
                #[must_use]
                pub fn #fid(mut self, value: impl ::std::convert::Into<#inner>) -> Self {
                    self.#fid = ::std::option::Option::Some(value.into());
                    self
                }
            });
        } else {
            ctor_args.push(quote!(#fid: impl ::std::convert::Into<#inner>));
            ctor_inits.push(quote!(#fid: #fid.into(),));
        }
        let wire = p.name.as_str();
        let list = matches!(p.ty, TypeExpr::List(_));
        writes.push(match (p.location, optional, list) {
            (ParamLocation::Path, _, _) => quote!(w.path(#wire, &self.#fid);),
            (ParamLocation::Query, true, true) => quote!(if let ::std::option::Option::Some(values) = &self.#fid { for value in values { w.query(#wire, value); } }),
            (ParamLocation::Query, false, true) => quote!(for value in &self.#fid { w.query(#wire, value); }),
            (ParamLocation::Query, true, false) => quote!(if let ::std::option::Option::Some(value) = &self.#fid { w.query(#wire, value); }),
            (ParamLocation::Query, false, false) => quote!(w.query(#wire, &self.#fid);),
            (ParamLocation::Header, true, _) => quote!(if let ::std::option::Option::Some(value) = &self.#fid { w.header(#wire, value); }),
            (ParamLocation::Header, false, _) => quote!(w.header(#wire, &self.#fid);),
        });
        validations.push(constraint_calls(
            quote!(self.#fid),
            wire,
            &p.shape,
            optional,
        ));
        if p.sensitive {
            any_sensitive = true;
            debug_entries.push(quote!(.field(#rn, &crate::codec::Redacted(&self.#fid))));
        } else {
            debug_entries.push(quote!(.field(#rn, &self.#fid)));
        }
    }
    if let (Some(b), Some(body)) = (&op.body, &op.names.body) {
        let bt = type_path(model, *b, group);
        let field = ident(body);
        fields.push(quote! {
            #[doc = " The request body."]
            pub #field: #bt,
        });
        ctor_args.push(quote!(#field: #bt));
        ctor_inits.push(quote!(#field,));
        writes.push(quote!(w.json(&self.#field)?;));
        validations.push(
            quote!(v.nested(#body, |v| crate::request::Validate::validate(&self.#field, v));),
        );
        debug_entries.push(quote!(.field(#body, &self.#field)));
    }
    let output = match op.success_type() {
        Some(t) => type_path(model, t, group),
        None => quote!(crate::NoContent),
    };
    let has_required = !ctor_args.is_empty();
    let derive = match (has_required, any_sensitive) {
        (false, false) => quote!(#[derive(Clone, Debug, Default, PartialEq)]),
        (false, true) => quote!(#[derive(Clone, Default, PartialEq)]),
        (true, false) => quote!(#[derive(Clone, Debug, PartialEq)]),
        (true, true) => quote!(#[derive(Clone, PartialEq)]),
    };
    let req_name_str = op.names.request.as_str();
    let debug_impl = if any_sensitive {
        quote! {
            impl ::std::fmt::Debug for #req_name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct(#req_name_str) #(#debug_entries)* .finish()
                }
            }
        }
    } else {
        quote!()
    };
    let req_doc = doc_attrs(&[
        format!(
            "Request of [`Client::{}`](crate::Client::{}): {}",
            op.names.method,
            op.names.method,
            docs::sentence(&op.summary)
        ),
        String::new(),
        docs::how_to_build_request(op),
    ]);
    let new_doc = if has_required {
        " Creates the request from its required parameters."
    } else {
        " Creates the request; every parameter is optional."
    };
    let writer_arg = if writes.is_empty() {
        quote!(_w)
    } else {
        quote!(w)
    };
    let validator_arg = if validations.iter().all(|v| v.is_empty()) {
        quote!(_v)
    } else {
        quote!(v)
    };
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
    let method_doc = doc_attrs(&docs::operation(op, model));
    let new_allow = if ctor_args.len() > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    };
    quote! {
        #[doc = #meta_doc]
        pub static #meta_name: crate::request::OperationMeta = crate::request::OperationMeta {
            id: #id,
            method: #http_method,
            path: #path,
            idempotent: #idempotent,
            rate_limit: #rate,
            errors: &[#(#errors),*],
            success_statuses: &[#(#success),*],
            pagination: #paginated,
            outcome_lookup: #outcome_lookup,
            sensitive_params: &[#(#sensitive_params),*],
        };

        #req_doc
        #derive
        #[non_exhaustive]
        pub struct #req_name {
            #(#fields)*
        }

        #debug_impl

        impl #req_name {
            #[doc = #new_doc]
            #new_allow
            pub fn new(#(#ctor_args),*) -> Self {
                Self { #(#ctor_inits)* }
            }
            #(#setters)*
        }

        impl crate::request::ApiRequest for #req_name {
            type Output = #output;
            fn meta(&self) -> &'static crate::request::OperationMeta {
                &#meta_name
            }
            fn write(&self, #writer_arg: &mut crate::request::RequestWriter) -> ::std::result::Result<(), crate::Error> {
                #(#writes)*
                ::std::result::Result::Ok(())
            }
            fn validate(&self, #validator_arg: &mut crate::request::Validator) {
                #(#validations)*
            }
        }

        impl crate::Client {
            #method_doc
            #deprecated
            pub async fn #method(&self, request: #req_name) -> ::std::result::Result<crate::Response<#output>, crate::Error> {
                self.execute(&request).await
            }
        }
    }
}
