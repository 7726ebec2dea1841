//! The little state that makes the documented flows meaningful: a budget set is read back, an
//! order paid or cancelled shows its new status. Everything else answers the documented
//! example whatever came before (see the crate README).

use std::collections::HashMap;
use std::sync::Mutex;

use serde_json::{Value, json};

use crate::lock::lock;

/// `CustomerOrderStatus` 5 (已完成) and 4 (已取消) of 004 §8.3.1.
const ORDER_COMPLETED: i64 = 5;
const ORDER_CANCELLED: i64 = 4;

#[derive(Debug, Clone)]
struct Budget {
    amount: Value,
    budget_type: Value,
}

/// What earlier calls changed.
#[derive(Debug, Default)]
pub(crate) struct State {
    budgets: Mutex<HashMap<String, Budget>>,
    order_status: Mutex<HashMap<String, i64>>,
}


/// The request data a flow reads.
pub(crate) struct Call<'a> {
    pub operation: &'a str,
    pub path_params: &'a [(String, String)],
    pub query: &'a [(String, String)],
    pub body: Option<&'a Value>,
}

impl Call<'_> {
    fn param(&self, name: &str) -> Option<&str> {
        self.path_params.iter().chain(self.query).find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
    fn field(&self, name: &str) -> Option<&Value> {
        self.body.and_then(|b| b.get(name))
    }
}

impl State {
    /// Whether the answer of `operation` depends on earlier calls (see [`State::apply`]).
    pub fn adjusts(operation: &str) -> bool {
        matches!(operation, "ShowSubCustomerBudget" | "ListSubCustomerBudget" | "ShowCustomerOrderDetails")
    }

    /// Forgets everything.
    pub fn clear(&self) {
        lock(&self.budgets).clear();
        lock(&self.order_status).clear();
    }

    /// Records what a successful call changes, and adjusts its `answer` (the success body,
    /// when there is one) to what earlier calls changed. Returns whether `answer` changed.
    pub fn apply(&self, call: &Call<'_>, answer: Option<&mut Value>) -> bool {
        match call.operation {
            "UpdateSubCustomerBudget" => {
                if let (Some(Value::String(id)), Some(amount)) = (call.field("customer_id"), call.field("budget_amount")) {
                    let budget_type = call.field("budget_type").cloned().unwrap_or(Value::Null);
                    lock(&self.budgets).insert(id.clone(), Budget { amount: amount.clone(), budget_type });
                }
                false
            }
            "ShowSubCustomerBudget" => {
                let (Some(id), Some(answer)) = (call.param("customer_id"), answer) else { return false };
                let Some(b) = lock(&self.budgets).get(id).cloned() else { return false };
                answer["budget_amount"] = b.amount;
                if !b.budget_type.is_null() {
                    answer["budget_type"] = b.budget_type;
                }
                true
            }
            "ListSubCustomerBudget" => {
                let (Some(Value::Array(ids)), Some(answer)) = (call.field("customer_ids"), answer) else { return false };
                let budgets = lock(&self.budgets);
                let infos: Vec<Value> = ids
                    .iter()
                    .filter_map(Value::as_str)
                    .filter_map(|id| {
                        budgets.get(id).map(|b| {
                            let mut info = json!({ "customer_id": id, "budget_amount": b.amount, "used_amount": 0 });
                            if !b.budget_type.is_null() {
                                info["budget_type"] = b.budget_type.clone();
                            }
                            info
                        })
                    })
                    .collect();
                if infos.is_empty() {
                    return false;
                }
                answer["budget_infos"] = Value::Array(infos);
                true
            }
            "PayOrders" => {
                if let Some(Value::String(id)) = call.field("order_id") {
                    lock(&self.order_status).insert(id.clone(), ORDER_COMPLETED);
                }
                false
            }
            "CancelCustomerOrder" => {
                if let Some(Value::String(id)) = call.field("order_id") {
                    lock(&self.order_status).insert(id.clone(), ORDER_CANCELLED);
                }
                false
            }
            "ShowCustomerOrderDetails" => {
                let (Some(id), Some(answer)) = (call.param("order_id"), answer) else { return false };
                let Some(status) = lock(&self.order_status).get(id).copied() else { return false };
                let Some(info) = answer.get_mut("order_info").filter(|i| i.is_object()) else { return false };
                info["order_id"] = Value::from(id);
                info["status"] = Value::from(status);
                true
            }
            _ => false,
        }
    }

    /// The documented refusal of a call that contradicts earlier calls: paying a cancelled
    /// order, or cancelling a paid one.
    pub fn conflict(&self, call: &Call<'_>) -> Option<&'static str> {
        let id = call.field("order_id").and_then(Value::as_str)?;
        let status = lock(&self.order_status).get(id).copied()?;
        match (call.operation, status) {
            ("PayOrders" | "CancelCustomerOrder", ORDER_CANCELLED | ORDER_COMPLETED) => Some("CBC.0150"),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    /// The flows name operations by id; a renamed operation must not silently lose its state.
    #[test]
    fn every_stateful_operation_exists() {
        let ops = crate::operations();
        for id in ["UpdateSubCustomerBudget", "ShowSubCustomerBudget", "ListSubCustomerBudget", "PayOrders", "CancelCustomerOrder", "ShowCustomerOrderDetails"] {
            assert!(ops.iter().any(|o| o.id == id), "{id} is not an operation of the spec");
        }
    }
}
