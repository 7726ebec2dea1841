//! The report as text, Markdown and JSON.

use super::Report;

/// The report as text, ending with the counts per class.
pub fn to_text(r: &Report) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "document version {} ({})\n",
        r.document.version.as_deref().unwrap_or("?"),
        r.document.date.as_deref().unwrap_or("?")
    ));
    for d in &r.drift {
        out.push_str(&format!(
            "{} §{} {} {}{}: {}{}{}\n",
            d.kind.as_str(),
            d.section.as_deref().unwrap_or("?"),
            d.operation.as_deref().unwrap_or("-"),
            d.item,
            d.doc_line
                .map(|l| format!(" (line {l})"))
                .unwrap_or_default(),
            d.message,
            d.document
                .as_ref()
                .map(|x| format!("; document: {}", one_line(x)))
                .unwrap_or_default(),
            d.spec
                .as_ref()
                .map(|x| format!("; spec: {}", one_line(x)))
                .unwrap_or_default(),
        ));
    }
    out.push_str("\nnot compared:\n");
    for (what, n) in &r.not_compared {
        out.push_str(&format!("  {what}: {n}\n"));
    }
    out.push_str("\ndrift by kind:\n");
    for (k, n) in r.drift_by_kind() {
        out.push_str(&format!("  {k}: {n}\n"));
    }
    out.push_str("\nfixups by kind:\n");
    for (k, n) in &r.fixups_by_kind {
        out.push_str(&format!("  {k}: {n}\n"));
    }
    out.push_str("\nclaims by kind:\n");
    for (k, n) in &r.claims_by_kind {
        out.push_str(&format!("  {k}: {n}\n"));
    }
    out.push_str(&format!(
        "\n{:<16} {:>9} {:>7} {:>9} {:>6} {:>8}\n",
        "class", "compared", "equal", "explained", "drift", "repeated"
    ));
    for (class, c) in &r.classes {
        out.push_str(&format!(
            "{:<16} {:>9} {:>7} {:>9} {:>6} {:>8}\n",
            class, c.compared, c.equal, c.explained, c.drift, c.repeated
        ));
    }
    out
}

fn one_line(s: &str) -> String {
    let t: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.chars().count() > 120 {
        format!("{}…", t.chars().take(120).collect::<String>())
    } else {
        t
    }
}

/// The report as a pull-request comment.
pub fn to_markdown(r: &Report) -> String {
    let mut out = format!(
        "### Document revision {} ({}): {} unexplained difference(s), {} explained\n\n",
        r.document.version.as_deref().unwrap_or("?"),
        r.document.date.as_deref().unwrap_or("?"),
        r.drift.len(),
        r.explained
    );
    if !r.drift.is_empty() {
        out.push_str("| kind | section | operation | item | line | document | spec |\n|---|---|---|---|---|---|---|\n");
        for d in &r.drift {
            let cell = |s: &Option<String>| {
                s.as_deref()
                    .map(|x| format!("`{}`", one_line(x).replace('|', "\\|").replace('`', "'")))
                    .unwrap_or_default()
            };
            out.push_str(&format!(
                "| {} | {} | {} | `{}` | {} | {} | {} |\n",
                d.kind.as_str(),
                d.section.as_deref().unwrap_or(""),
                d.operation.as_deref().unwrap_or(""),
                d.item,
                d.doc_line.map(|l| l.to_string()).unwrap_or_default(),
                cell(&d.document),
                cell(&d.spec)
            ));
        }
    }
    let counts = |m: &std::collections::BTreeMap<String, usize>| {
        m.iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    out.push_str(&format!(
        "\nNot compared: {}.\n\nFixups by kind: {}. Claims by kind: {}.\n",
        counts(&r.not_compared),
        counts(&r.fixups_by_kind),
        counts(&r.claims_by_kind)
    ));
    out.push_str("\n| class | compared | equal | explained | drift | repeated |\n|---|---|---|---|---|---|\n");
    for (class, c) in &r.classes {
        out.push_str(&format!(
            "| {class} | {} | {} | {} | {} | {} |\n",
            c.compared, c.equal, c.explained, c.drift, c.repeated
        ));
    }
    out
}

/// The report as JSON (the contract other tools read).
pub fn to_json(r: &Report) -> String {
    serde_json::to_string_pretty(r).unwrap_or_default() + "\n"
}
