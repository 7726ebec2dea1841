//! Models: serde structs for the spec's types, open enums for its code lists.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::rust_types::{doc_attrs, ident, rust_type};
use crate::ir::CodeListType;
use crate::ir::{CodeListInfo, Model, TypeExpr, TypeInfo};

/// A code list as a `#[non_exhaustive]` enum that keeps unknown values.
pub fn code_list(cl: &CodeListInfo) -> TokenStream {
    let name = ident(&cl.name);
    let mut doc = vec![docs::sentence(&cl.def.description), String::new()];
    doc.push(format!("Source: {}.", docs::source(&cl.def.source)));
    doc.push(String::new());
    doc.push(format!(
        "Values this version does not know are kept in `{}` and sent back unchanged.",
        cl.unknown
    ));
    let doc = doc_attrs(&doc);
    let int = cl.def.ty == CodeListType::Integer;
    let variants: Vec<_> = cl
        .def
        .values
        .iter()
        .zip(&cl.variants)
        .map(|(v, vn)| {
            let vn = ident(vn);
            let mut text = match &v.zh {
                Some(zh) => format!("`{}`: {zh}", v.value),
                None => format!("`{}`", v.value),
            };
            if let Some(d) = &v.description {
                text.push_str(&format!(" — {}", d.trim_end_matches('.')));
            }
            let text = docs::sentence(&text);
            let d = doc_attrs(&[text]);
            quote!(#d #vn,)
        })
        .collect();
    let raw_ty = if int {
        quote!(i64)
    } else {
        quote!(::std::string::String)
    };
    let unknown = ident(&cl.unknown);
    let to_arms = cl.def.values.iter().zip(&cl.variants).map(|(v, vn)| {
        let vn = ident(vn);
        if int {
            let n = v.value.as_i64().unwrap_or_default();
            quote!(Self::#vn => #n,)
        } else {
            let s = v.value.as_str().unwrap_or_default();
            quote!(Self::#vn => #s,)
        }
    });
    let from_arms = cl.def.values.iter().zip(&cl.variants).map(|(v, vn)| {
        let vn = ident(vn);
        if int {
            let n = v.value.as_i64().unwrap_or_default();
            quote!(#n => Self::#vn,)
        } else {
            let s = v.value.as_str().unwrap_or_default();
            quote!(#s => Self::#vn,)
        }
    });
    let body = if int {
        quote! {
            impl #name {
                /// The value on the wire.
                pub fn value(&self) -> i64 {
                    match self {
                        #(#to_arms)*
                        Self::#unknown(v) => *v,
                    }
                }
                /// The variant for a wire value.
                pub fn from_value(value: i64) -> Self {
                    match value {
                        #(#from_arms)*
                        other => Self::#unknown(other),
                    }
                }
            }
            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    ::std::fmt::Display::fmt(&self.value(), f)
                }
            }
            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    serializer.serialize_i64(self.value())
                }
            }
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    crate::codec::int_code(deserializer).map(Self::from_value)
                }
            }
        }
    } else {
        quote! {
            impl #name {
                /// The value on the wire.
                pub fn value(&self) -> &str {
                    match self {
                        #(#to_arms)*
                        Self::#unknown(v) => v,
                    }
                }
                /// The variant for a wire value.
                pub fn from_value(value: &str) -> Self {
                    match value {
                        #(#from_arms)*
                        other => Self::#unknown(other.to_string()),
                    }
                }
            }
            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(self.value())
                }
            }
            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.value())
                }
            }
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    crate::codec::str_code(deserializer).map(|v| Self::from_value(&v))
                }
            }
        }
    };
    let unknown_doc =
        doc_attrs(&["A value not documented when this crate was generated.".to_string()]);
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #unknown_doc
            #unknown(#raw_ty),
        }
        #body
    }
}

/// Serde attributes a field needs for its wire name and leniency.
fn serde_attrs(
    wire: &str,
    rust: &str,
    ty: &TypeExpr,
    code_list: bool,
    optional: bool,
    sensitive: bool,
) -> TokenStream {
    let mut parts = Vec::new();
    if wire != rust {
        parts.push(quote!(rename = #wire));
    }
    if optional {
        parts.push(quote!(default, skip_serializing_if = "Option::is_none"));
    }
    if !code_list {
        // Numbers and booleans that arrive as strings (the documented examples do this) decode.
        let with = match (ty, optional) {
            (TypeExpr::Integer | TypeExpr::Long | TypeExpr::Boolean | TypeExpr::Number, true) => {
                Some("crate::codec::lenient_opt")
            }
            (TypeExpr::Integer | TypeExpr::Long | TypeExpr::Boolean | TypeExpr::Number, false) => {
                Some("crate::codec::lenient")
            }
            // Sensitive text may arrive as a number (phone numbers), and an error must not
            // quote it.
            (TypeExpr::String, true) if sensitive => Some("crate::codec::text_opt"),
            (TypeExpr::String, false) if sensitive => Some("crate::codec::text"),
            _ => None,
        };
        if let Some(w) = with {
            parts.push(quote!(deserialize_with = #w));
        }
    }
    if parts.is_empty() {
        quote!()
    } else {
        quote!(#[serde(#(#parts),*)])
    }
}

/// A type as a struct, with a constructor and setters when it is sent in requests.
pub fn type_struct(model: &Model, t: &TypeInfo) -> TokenStream {
    let name = ident(&t.rust);
    let mut doc = vec![docs::sentence(&t.def.description), String::new()];
    let mut src = format!("Source: {}.", docs::source(&t.def.source));
    if t.rust != t.name {
        src.push_str(&format!(
            " The documents name it `{}`; it is a request body, hence the Rust name.",
            t.name
        ));
    }
    if let Some(dn) = &t.def.doc_name {
        src.push_str(&format!(" Documented as `{dn}`."));
    }
    doc.push(src);
    if let Some(pf) = &t.def.partial_failures {
        doc.push(String::new());
        doc.push(format!(
            "A successful answer can still report per-item failures in `{pf}`; inspect it."
        ));
    }
    let dropped: Vec<String> = t
        .fields
        .iter()
        .filter(|f| f.answer_status)
        .map(|f| format!("`{}`", f.name))
        .collect();
    if !dropped.is_empty() {
        doc.push(String::new());
        doc.push(format!(
            "The answer's {} are read by the client, not kept here: an answer carrying an error \
             code is returned as an error ([`Error::Service`](crate::Error::Service)).",
            dropped.join(" and ")
        ));
    }
    doc.push(String::new());
    doc.extend(docs::how_to_build(t));
    let mut doc = doc_attrs(&doc);
    if t.rust != t.name {
        let alias = t.name.as_str();
        doc.extend(quote!(#[doc(alias = #alias)]));
    }
    // A type that is only received has every field optional: response tables mark nothing as
    // required, and a missing field must not fail decoding.
    let input = t.input;
    let fields: Vec<_> = t
        .fields
        .iter()
        .filter(|f| !f.answer_status)
        .map(|f| {
            let rn = f.rust.as_str();
            let id = ident(rn);
            let optional = !(input && f.required);
            let inner = rust_type(model, &f.shape, &t.group);
            let ty = if optional {
                quote!(::std::option::Option<#inner>)
            } else {
                inner
            };
            let serde = serde_attrs(
                &f.name,
                rn,
                &f.ty,
                f.code_list.is_some(),
                optional,
                f.sensitive,
            );
            let d = doc_attrs(&docs::field(f));
            quote! { #d #serde pub #id: #ty, }
        })
        .collect();
    let sensitive: Vec<&str> = t
        .fields
        .iter()
        .filter(|f| f.sensitive && !f.answer_status)
        .map(|f| f.name.as_str())
        .collect();
    let has_required = input && t.fields.iter().any(|f| f.required);
    let mut derives = vec![
        quote!(Clone),
        quote!(PartialEq),
        quote!(::serde::Serialize),
        quote!(::serde::Deserialize),
    ];
    if sensitive.is_empty() {
        derives.insert(1, quote!(Debug));
    }
    if !has_required {
        derives.insert(1, quote!(Default));
    }
    let debug_impl = if sensitive.is_empty() {
        quote!()
    } else {
        let entries = t.fields.iter().filter(|f| !f.answer_status).map(|f| {
            let rn = f.rust.as_str();
            let id = ident(rn);
            if f.sensitive {
                quote!(.field(#rn, &crate::codec::Redacted(&self.#id)))
            } else {
                quote!(.field(#rn, &self.#id))
            }
        });
        let n = t.rust.as_str();
        quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct(#n) #(#entries)* .finish_non_exhaustive()
                }
            }
        }
    };
    let builder = if input {
        input_impl(model, t)
    } else {
        quote!()
    };
    quote! {
        #doc
        #[derive(#(#derives),*)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }
        #debug_impl
        #builder
    }
}

/// `new(required...)` and a setter per optional field, named like the field, of a type sent in
/// requests.
fn input_impl(model: &Model, t: &TypeInfo) -> TokenStream {
    let name = ident(&t.rust);
    let required: Vec<_> = t.fields.iter().filter(|f| f.required).collect();
    let args = required.iter().map(|f| {
        let id = ident(&f.rust);
        let ty = rust_type(model, &f.shape, &t.group);
        quote!(#id: impl ::std::convert::Into<#ty>)
    });
    let inits = t.fields.iter().map(|f| {
        let id = ident(&f.rust);
        if f.required {
            quote!(#id: #id.into(),)
        } else {
            quote!(#id: None,)
        }
    });
    let setters = t.fields.iter().filter_map(|f| {
        let id = ident(&f.rust);
        let setter = ident(f.setter.as_deref()?);
        let ty = rust_type(model, &f.shape, &t.group);
        let d = format!(" Sets `{}`.", f.name);
        Some(quote! {
            #[doc = #d]
            #[must_use]
            pub fn #setter(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                self.#id = Some(value.into());
                self
            }
        })
    });
    let new_doc = if required.is_empty() {
        " Creates the value with every optional field unset.".to_string()
    } else {
        format!(
            " Creates the value from its required fields ({}).",
            required
                .iter()
                .map(|f| format!("`{}`", f.name))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let allow = if required.len() > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    };
    quote! {
        impl #name {
            #[doc = #new_doc]
            #allow
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits)* }
            }
            #(#setters)*
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    fn generated() -> (crate::ir::Model, crate::emit::Tree) {
        let model =
            crate::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")).expect("spec");
        let tree = crate::emit::generate(&model).expect("generate");
        (model, tree)
    }

    /// The doc block right above line `at` of `text`.
    fn doc_above(text: &str, at: usize) -> String {
        let lines: Vec<&str> = text[..at].lines().collect();
        let mut doc: Vec<&str> = lines
            .iter()
            .rev()
            .take_while(|l| l.trim_start().starts_with("///") || l.trim_start().starts_with("#["))
            .copied()
            .collect();
        doc.reverse();
        doc.join("\n")
    }

    #[test]
    fn every_non_exhaustive_struct_says_how_to_build_it() {
        let (_, tree) = generated();
        let mut checked = 0;
        for (path, text) in tree.iter().filter(|(p, _)| p.starts_with("src/")) {
            for (at, _) in text.match_indices("#[non_exhaustive]\npub struct ") {
                let doc = doc_above(text, at);
                let name = text[at..].lines().nth(1).unwrap_or_default();
                assert!(
                    doc.contains("E0639") || doc.contains("::new("),
                    "{path}: `{name}` does not say how to build it:\n{doc}"
                );
                checked += 1;
            }
        }
        assert!(checked > 300, "only {checked} structs checked");
    }

    #[test]
    fn a_renamed_body_keeps_its_documented_name_as_alias() {
        let (_, tree) = generated();
        let customers = &tree["src/customers.rs"];
        let at = customers
            .find("pub struct QuerySubCustomerListBody {")
            .expect("the body under its Rust name");
        let doc = doc_above(customers, at);
        assert!(
            doc.contains("#[doc(alias = \"QuerySubCustomerListReq\")]"),
            "{doc}"
        );
        assert!(
            doc.contains("The documents name it `QuerySubCustomerListReq`"),
            "{doc}"
        );
        assert!(!customers.contains("pub struct QuerySubCustomerListReq "));
        assert!(customers.contains("pub fn limit(mut self"), "bare setters");
        assert!(!customers.contains("pub fn with_"), "no `with_` setters");
    }

    #[test]
    fn success_answers_do_not_carry_the_error_code() {
        let (model, tree) = generated();
        let products = &tree["src/products.rs"];
        let start = products
            .find("pub struct ListServiceTypesResponse {")
            .expect("answer type");
        let body = &products[start..start + products[start..].find("\n}\n").expect("end")];
        assert!(!body.contains("pub error_code"), "{body}");
        assert!(!body.contains("pub error_msg"), "{body}");
        assert!(body.contains("pub service_types"), "{body}");
        // Every type that keeps a member named error_code is not a top-level success answer.
        for t in &model.types {
            let kept = t
                .fields
                .iter()
                .any(|f| f.name == "error_code" && !f.answer_status);
            let dropped = t.fields.iter().any(|f| f.answer_status);
            assert!(!(kept && dropped), "{}", t.name);
        }
    }
}
