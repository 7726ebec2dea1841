//! `tests/contract.rs` of the generated crate: every operation called with its documented (or
//! type-built) values against a server that validates requests against the OpenAPI export —
//! Prism, started by `scripts/contract-test`. The tests are `#[ignore]`d in ordinary runs.

use proc_macro2::TokenStream;
use quote::quote;

use super::requests::{BuiltRequest, build_request};
use super::rust_types::ident;
use crate::ir::Model;

/// The test module.
pub fn contract_tests(model: &Model) -> TokenStream {
    let krate = ident(&model.crate_ident);
    let mut tests = Vec::new();
    for op in model.operations() {
        let synthetic = crate::synth::example(model, op);
        // Examples recorded as breaking a documented constraint are left out: the server would
        // rightly refuse them, and the client validates every request it sends here.
        let Some(BuiltRequest { setup, .. }) = op
            .examples
            .iter()
            .filter(|ex| !ex.breaks_constraint)
            .find_map(|ex| build_request(model, op, ex))
            .or_else(|| build_request(model, op, &synthetic))
        else {
            continue;
        };
        let feature = op.group.as_str();
        let method = ident(&op.names.method);
        let name = ident(&op.names.tests.contract);
        let id = op.id.as_str();
        tests.push(quote! {
            #[cfg(feature = #feature)]
            #[tokio::test]
            #[ignore = "needs a validating server: run scripts/contract-test"]
            async fn #name() {
                let client = contract_client();
                #setup
                let answer = client.#method(request).await;
                assert!(answer.is_ok(), "{} was refused or its answer not understood: {answer:?}", #id);
            }
        });
    }
    quote! {
        //! One test per operation; `scripts/contract-test` starts the server and sets
        //! `BSS_CONTRACT_URL`.
        #![allow(deprecated)]

        fn contract_client() -> #krate::Client {
            let url = std::env::var("BSS_CONTRACT_URL").expect("BSS_CONTRACT_URL names the validating server");
            #krate::Client::builder()
                .endpoint(url)
                .credentials(#krate::Credentials::aksk("TESTAK", "TESTSK"))
                .build()
                .expect("client")
        }

        #(#tests)*
    }
}
