//! Calls a few operations and prints what comes back.
//!
//! Against the local emulator (no Huawei Cloud account needed):
//!
//! ```sh
//! cargo run -p bss-emulator -- --port 8080 &
//! cargo run -p huaweicloud-bss --example quickstart -- http://127.0.0.1:8080
//! ```
//!
//! Against Huawei Cloud, give no endpoint (the international site is used): the credentials are
//! found as the official SDKs find them (`HUAWEICLOUD_SDK_AK` / `HUAWEICLOUD_SDK_SK`, then
//! `~/.huaweicloud/credentials`, then the ECS metadata service).

use std::time::Duration;

use futures_util::TryStreamExt;
use huaweicloud_bss::budgets::ShowSubCustomerBudgetRequest;
use huaweicloud_bss::customers::{ListSubCustomersRequest, QuerySubCustomerListBody};
use huaweicloud_bss::products::ListServiceTypesRequest;
use huaweicloud_bss::{CallOptions, Client, Credentials, Error};

/// The emulator's default credentials (see the emulator's README); not real ones.
const EMULATOR_AK: &str = "EMULATORACCESSKEY000";
const EMULATOR_SK: &str = "emulator-secret-key-not-a-real-credential";

#[tokio::main]
async fn main() -> Result<(), Error> {
    let endpoint = std::env::args().nth(1);
    let mut builder = Client::builder();
    if let Some(url) = &endpoint {
        builder = builder
            .endpoint(url.clone())
            .credentials(Credentials::aksk(EMULATOR_AK, EMULATOR_SK));
    }
    // Every call is over within 30 s, retries included.
    let client = builder.operation_timeout(Duration::from_secs(30)).build()?;

    let service_types: Vec<_> = client
        .list_service_types_items(ListServiceTypesRequest::new())
        .try_collect()
        .await?;
    println!(
        "{} service types, the first: {:?}",
        service_types.len(),
        service_types
            .first()
            .and_then(|s| s.service_type_name.as_deref())
    );

    // Bodies are built like requests: `new` with the required values, a setter per option.
    let customers = client
        .list_sub_customers(ListSubCustomersRequest::new(
            QuerySubCustomerListBody::new().offset(0).limit(10),
        ))
        .await?;
    println!(
        "{} sub-customers on the first page",
        customers.customer_infos.as_ref().map_or(0, Vec::len)
    );

    // One call with its own settings: a tighter deadline, on top of the client's configuration.
    let budget = client
        .with_options(CallOptions::new().operation_timeout(Duration::from_secs(5)))
        .show_sub_customer_budget(ShowSubCustomerBudgetRequest::new(
            "053a48736500d5f40ffec01689b88480",
        ))
        .await?;
    println!(
        "budget: {:?} {:?} (request id {:?})",
        budget.body().budget_amount,
        budget.body().budget_type,
        budget.request_id()
    );
    Ok(())
}
