//! JUnit XML for CI systems that read test reports: one test case per change, failed when the
//! change breaks users and no entry accepts it; stale accepted entries are skipped cases.

use std::fmt::Write as _;

use super::Review;

/// Escapes text for XML attributes and content.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot hold at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The report. A diff without changes is one passing case, so the suite is never empty.
pub fn to_junit(r: &Review) -> String {
    let failures = r.blocking().count();
    let tests = r.changes.len().max(1) + r.stale.len();
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        s,
        "<testsuites name=\"bss-codegen diff\" tests=\"{tests}\" failures=\"{failures}\">"
    );
    let _ = writeln!(
        s,
        "  <testsuite name=\"spec changes {} -&gt; {}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{}\">",
        xml(&r.old_version),
        xml(&r.suggested_version),
        r.stale.len()
    );
    if r.changes.is_empty() {
        s.push_str("    <testcase classname=\"spec\" name=\"no semantic changes\"/>\n");
    }
    for c in &r.changes {
        let subject = super::accepted::subject_name(&c.change);
        let name = format!("{}: {}", c.change.location, c.change.description);
        let _ = write!(
            s,
            "    <testcase classname=\"spec.{}\" name=\"{}\"",
            xml(&subject),
            xml(&name)
        );
        if let Some(p) = &c.at {
            let _ = write!(s, " file=\"{}\" line=\"{}\"", xml(&p.file), p.line);
        }
        if c.is_blocking() {
            let at =
                c.at.as_ref()
                    .map(|p| format!(" at {}:{}", p.file, p.line))
                    .unwrap_or_default();
            let _ = writeln!(
                s,
                ">\n      <failure type=\"breaking\" message=\"{}\">{}</failure>\n    </testcase>",
                xml(&format!("breaking change not accepted{at}")),
                xml(&format!(
                    "{name}\nsuggested bump: {} ({} -> {}); accept it in spec/accepted-breaks.yaml with a reason",
                    r.suggested_bump, r.old_version, r.suggested_version
                ))
            );
        } else if let Some(a) = &c.accepted {
            let _ = writeln!(
                s,
                ">\n      <system-out>{}</system-out>\n    </testcase>",
                xml(&format!("accepted for {}: {}", a.version, a.reason))
            );
        } else {
            s.push_str("/>\n");
        }
    }
    for a in &r.stale {
        let _ = writeln!(
            s,
            "    <testcase classname=\"spec.accepted_breaks\" name=\"{}\" file=\"{}\" line=\"{}\">\n      <skipped message=\"stale: matches no breaking change; remove the entry\"/>\n    </testcase>",
            xml(&a.location),
            xml(&a.file),
            a.line
        );
    }
    s.push_str("  </testsuite>\n</testsuites>\n");
    s
}
