//! Checks of `service.yaml` and `errors.yaml`: documents, auth schemes, the global error-code
//! table, the service-wide answers, and every group's extra error codes.

use super::*;

/// Checks the service files and fills the checker's auth ids and error-code tables.
pub(super) fn check(c: &mut Checker) {
    let set = c.set;
    // Documents, sites, auth schemes.
    for (i, d) in set.service.value.documents.iter().enumerate() {
        if d.file.is_some() == d.url.is_some() {
            c.err(
                None,
                node_path!["documents", i],
                format!("document `{}` needs exactly one of `file` and `url`", d.id),
                Some("`file` names a seed in shared/seeds/, `url` the base of public web pages"),
            );
        }
    }
    c.auth_ids = set
        .service
        .value
        .auth_schemes
        .iter()
        .map(|a| a.id.clone())
        .collect();

    // Error codes: global table, sorted and unique.
    let mut codes: HashMap<String, u16> = HashMap::new();
    let mut prev: Option<&str> = None;
    for (i, e) in set.errors.value.error_codes.iter().enumerate() {
        if codes.insert(e.code.clone(), e.http_status).is_some() {
            let d = set.errors.diag(
                &node_path!["error_codes", i, "code"],
                format!("error code `{}` is listed twice", e.code),
                None,
            );
            c.diags.push(d);
        }
        if prev.is_some_and(|p| p > e.code.as_str()) {
            let d = set.errors.diag(
                &node_path!["error_codes", i, "code"],
                format!(
                    "error codes are not sorted: `{}` comes after `{}`",
                    e.code,
                    prev.unwrap_or_default()
                ),
                Some("keep error_codes sorted by code so revisions diff cleanly".into()),
            );
            c.diags.push(d);
        }
        prev = Some(&e.code);
    }

    // Service-wide answers name known documents too.
    let service = &set.service.value;
    if let Some(t) = &service.throttling {
        c.source(
            None,
            node_path!["throttling", "source", "document"],
            &t.source.document,
        );
    }
    if let Some(a) = &service.auth_failures {
        c.source(
            None,
            node_path!["auth_failures", "source", "document"],
            &a.source.document,
        );
    }

    // Extra error codes per group join the known codes.
    let mut known_codes = codes.clone();
    let mut extra_declared: HashMap<String, usize> = HashMap::new();
    for (gi, g) in set.groups.iter().enumerate() {
        for (i, e) in g.value.extra_error_codes.iter().enumerate() {
            if let Some(first) = extra_declared.insert(e.code.clone(), gi) {
                c.err(
                    Some(gi),
                    node_path!["extra_error_codes", i, "code"],
                    format!(
                        "`{}` is already declared in the extra_error_codes of {}",
                        e.code,
                        set.groups[first].path.display()
                    ),
                    Some("declare an extra code once; operations of every group may use it"),
                );
            }
            if codes.contains_key(&e.code) {
                c.err(
                    Some(gi),
                    node_path!["extra_error_codes", i, "code"],
                    format!("`{}` is already in the global error-code table", e.code),
                    Some("remove it from extra_error_codes"),
                );
            }
            known_codes.insert(e.code.clone(), e.http_status);
        }
    }

    c.codes = codes;
    c.known_codes = known_codes;
}
