//! CSV for bulk import and export: an RFC 4180 reader and writer, the import template and
//! its rows (each validated as a `user_create`), the export's columns, the billing export of
//! usage ([`usage_csv`]) and the audit export ([`audit_csv`]).
//!
//! The writer neutralises spreadsheet formulas: a cell that starts with `=`, `+`, `-`, `@`,
//! a tab or a carriage return gets a leading `'`, so an exported name cannot run code when a
//! partner opens the file in a spreadsheet.

use crate::accounts::audit::AuditRecord;
use crate::accounts::usage::UsageRow;
use crate::accounts::users::UserCreate;
use crate::fields::FieldProblem;
use crate::roles::Role;

/// Why a CSV text could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct CsvError {
    pub line: usize,
    pub message: &'static str,
}

/// Reads RFC 4180 CSV (quoted fields, `""` inside quotes, CRLF or LF, a leading BOM).
/// Blank lines are skipped.
pub fn parse(text: &str) -> Result<Vec<Vec<String>>, CsvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut at_start = true;
    let mut line = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => {
                    quoted = false;
                    match chars.peek() {
                        None | Some(',') | Some('\n') | Some('\r') => {}
                        Some(_) => {
                            return Err(CsvError {
                                line,
                                message: "text after a closing quote",
                            })
                        }
                    }
                }
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if at_start => {
                quoted = true;
                at_start = false;
            }
            ',' => {
                row.push(std::mem::take(&mut field));
                at_start = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                row.push(std::mem::take(&mut field));
                if !(row.len() == 1 && row[0].is_empty()) {
                    rows.push(std::mem::take(&mut row));
                } else {
                    row.clear();
                }
                at_start = true;
                line += 1;
            }
            _ => {
                field.push(c);
                at_start = false;
            }
        }
    }
    if quoted {
        return Err(CsvError {
            line,
            message: "a quoted field is never closed",
        });
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    Ok(rows)
}

/// One cell, quoted when needed, formulas neutralised.
pub fn cell(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) || value.starts_with(' ') || value.ends_with(' ') {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// Rows as CSV text with CRLF line ends.
pub fn write<R: AsRef<[S]>, S: AsRef<str>>(rows: &[R]) -> String {
    let mut out = String::new();
    for r in rows {
        let cells: Vec<String> = r.as_ref().iter().map(|c| cell(c.as_ref())).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// The columns an import understands; `login` is required, the rest optional.
pub const IMPORT_COLUMNS: [&str; 10] = [
    "login",
    "external_id",
    "full_name",
    "email",
    "company",
    "phone",
    "zip_code",
    "country",
    "language",
    "product",
];

/// A template to fill in: the header and one example row.
pub fn import_template() -> String {
    write(&[
        IMPORT_COLUMNS.to_vec(),
        vec![
            "it@example-bakery.example",
            "",
            "Ann Berg",
            "",
            "Example Bakery ApS",
            "+45 12 34 56 78",
            "8000",
            "DK",
            "da-DK",
            "",
        ],
    ])
}

/// One data row of an import: its line in the file, the account it asks for, its problems.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    /// 1-based line in the file (the header is line 1).
    pub line: usize,
    pub account: UserCreate,
    pub problems: Vec<FieldProblem>,
}

/// Why an import file cannot be used at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("The file is not valid CSV: {0}.")]
    Csv(#[from] CsvError),
    #[error("The file is empty.")]
    Empty,
    #[error("The first line must name the columns, with at least “login”. Unknown columns: {0}.")]
    Header(String),
}

/// Reads an import file into customer accounts, every row validated. Duplicate logins and
/// external ids inside the file are problems too.
pub fn parse_import(text: &str) -> Result<Vec<ImportRow>, ImportError> {
    let rows = parse(text)?;
    let mut iter = rows.into_iter();
    let header: Vec<String> = iter
        .next()
        .ok_or(ImportError::Empty)?
        .into_iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let unknown: Vec<&String> = header
        .iter()
        .filter(|h| !IMPORT_COLUMNS.contains(&h.as_str()))
        .collect();
    if !header.iter().any(|h| h == "login") || !unknown.is_empty() {
        return Err(ImportError::Header(
            unknown
                .iter()
                .map(|s| format!("“{s}”"))
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }
    let col = |name: &str| header.iter().position(|h| h == name);
    let mut out: Vec<ImportRow> = Vec::new();
    for (i, cells) in iter.enumerate() {
        let get = |name: &str| {
            col(name)
                .and_then(|c| cells.get(c))
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let account = UserCreate {
            login: get("login").unwrap_or_default(),
            password: None,
            external_id: get("external_id"),
            acl: Some(Role::MasterAdmin),
            product: get("product"),
            full_name: get("full_name"),
            email: get("email"),
            company_name: get("company"),
            zip_code: get("zip_code"),
            phone: get("phone"),
            country: get("country").map(|c| c.to_ascii_uppercase()),
            language: get("language"),
            attributes: Vec::new(),
        };
        let mut problems = account.validate();
        if cells.len() > header.len() {
            problems.push(FieldProblem {
                field: "row",
                message: format!(
                    "The row has {} cells; the header names {}.",
                    cells.len(),
                    header.len()
                ),
            });
        }
        if let Some(earlier) = out.iter().find(|r| {
            r.account.login.eq_ignore_ascii_case(&account.login) && !account.login.is_empty()
        }) {
            problems.push(FieldProblem {
                field: "login",
                message: format!("The login is already on line {}.", earlier.line),
            });
        }
        if let Some(ext) = &account.external_id {
            if let Some(earlier) = out
                .iter()
                .find(|r| r.account.external_id.as_ref() == Some(ext))
            {
                problems.push(FieldProblem {
                    field: "external_id",
                    message: format!("The external id is already on line {}.", earlier.line),
                });
            }
        }
        out.push(ImportRow {
            line: i + 2,
            account,
            problems,
        });
    }
    Ok(out)
}

/// The columns of a subtree export.
pub const EXPORT_COLUMNS: [&str; 9] = [
    "id", "kind", "name", "email", "company", "created", "status", "region", "parent",
];

/// The billing export's columns, in order; they do not change.
pub const USAGE_COLUMNS: [&str; 8] = [
    "region",
    "account_id",
    "company",
    "resource",
    "usage",
    "limit",
    "from",
    "to",
];

/// The billing export: a header of [`USAGE_COLUMNS`], then one row per account and
/// resource; an empty `limit` is no limit. Formula-safe ([`write`]).
pub fn usage_csv(rows: &[UsageRow]) -> String {
    let mut out: Vec<Vec<String>> = vec![USAGE_COLUMNS.iter().map(|c| c.to_string()).collect()];
    for r in rows {
        out.push(vec![
            r.region.clone(),
            r.account_id.clone(),
            r.company.clone(),
            r.resource.clone(),
            r.usage.to_string(),
            r.limit.map(|l| l.to_string()).unwrap_or_default(),
            r.from.clone(),
            r.to.clone(),
        ]);
    }
    write(&out)
}

/// The audit export's columns, in order.
pub const AUDIT_COLUMNS: [&str; 11] = [
    "time",
    "account",
    "company",
    "method",
    "acl",
    "message",
    "succeeded",
    "allowed",
    "token",
    "client_ip",
    "area",
];

/// Records as CSV, tokens masked, formula-safe ([`write`]).
pub fn audit_csv(records: &[AuditRecord]) -> String {
    let mut rows: Vec<Vec<String>> = vec![AUDIT_COLUMNS.iter().map(|c| c.to_string()).collect()];
    for r in records {
        rows.push(vec![
            r.time.clone(),
            r.account.clone(),
            r.company.clone().unwrap_or_default(),
            r.method.clone(),
            r.acl.clone(),
            r.message.clone(),
            r.succeeded.to_string(),
            r.allowed.to_string(),
            r.masked_token(),
            r.client_ip.clone(),
            r.area.clone().unwrap_or_default(),
        ]);
    }
    write(&rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_rfc4180() {
        let rows =
            parse("\u{feff}a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n\n1,,3").unwrap();
        assert_eq!(
            rows,
            vec![
                vec!["a", "b", "c"],
                vec!["x, y", "say \"hi\"", "two\nlines"],
                vec!["1", "", "3"],
            ]
        );
        assert_eq!(
            parse("\"open").unwrap_err().message,
            "a quoted field is never closed"
        );
        assert!(parse("\"a\"b").is_err());
    }

    #[test]
    fn writes_and_neutralises_formulas() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("plain"), "plain");
        assert_eq!(write(&[vec!["a,b", "c"]]), "\"a,b\",c\r\n");
    }

    #[test]
    fn imports_validate_every_row() {
        let text = "login,company,country,external_id\nok@a.example,A,dk,x1\nbad,B,DK,\nok@a.example,C,Denmark,x1\n";
        let rows = parse_import(text).unwrap();
        assert_eq!(rows.len(), 3);
        assert!(rows[0].problems.is_empty());
        assert_eq!(rows[0].account.country.as_deref(), Some("DK"));
        assert_eq!(rows[1].problems[0].field, "login");
        let fields: Vec<_> = rows[2].problems.iter().map(|p| p.field).collect();
        assert_eq!(fields, ["country", "login", "external_id"]);
        assert_eq!(rows[2].line, 4);
        assert!(matches!(
            parse_import("name\nx"),
            Err(ImportError::Header(_))
        ));
        assert!(matches!(parse_import(""), Err(ImportError::Empty)));
        let template = parse_import(&import_template()).unwrap();
        assert!(
            template[0].problems.is_empty(),
            "{:?}",
            template[0].problems
        );
    }

    proptest! {
        #[test]
        fn cells_round_trip(rows in proptest::collection::vec(proptest::collection::vec("[^\u{feff}]{0,12}", 1..5), 1..5)) {
            let written = write(&rows);
            let read = parse(&written).unwrap();
            let expect: Vec<Vec<String>> = rows
                .iter()
                .filter(|r| !(r.len() == 1 && r[0].is_empty()))
                .map(|r| r.iter().map(|c| if c.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{c}") } else { c.clone() }).collect())
                .collect();
            prop_assert_eq!(read, expect);
        }

        #[test]
        fn no_text_makes_the_reader_panic(s in ".{0,200}") {
            let _ = parse(&s);
            let _ = parse_import(&s);
        }
    }
}

#[cfg(test)]
mod export_tests {
    use super::*;
    use crate::accounts::usage::{MaxUsageList, MaxUsageResource};
    use crate::accounts::Range;
    use crate::ids::AccountId;

    fn id() -> AccountId {
        AccountId::parse("nq2v51-5mx23m-qb7sah").unwrap()
    }

    fn range() -> Range {
        Range::new("2024-12-01T00:00:00Z", "2024-12-20T11:58:30Z")
    }

    fn record() -> AuditRecord {
        AuditRecord {
            time: "2024-12-20T11:58:30Z".into(),
            account: "nq2v51-5mx23m-qb7sah".into(),
            method: "put".into(),
            succeeded: true,
            allowed: true,
            acl: "UpdateAccount".into(),
            token: "admin@nordic.example".into(),
            ..AuditRecord::default()
        }
    }

    #[test]
    fn the_billing_csv_has_stable_columns_and_is_formula_safe() {
        let list = MaxUsageList {
            resources: vec![MaxUsageResource {
                name: "o365-admin-seats-total".into(),
                maximum_usage: 12,
                limit: Some(10),
            }],
        };
        let mut rows = UsageRow::from_max_usage("dk-co", &id(), "=cmd, Inc", &range(), &list);
        rows.push(UsageRow {
            resource: "gsuite-seats-total".into(),
            ..rows[0].clone()
        });
        rows[1].limit = None;
        let text = usage_csv(&rows);
        let parsed = parse(&text).unwrap();
        assert_eq!(parsed[0], USAGE_COLUMNS);
        assert_eq!(
            parsed[1],
            [
                "dk-co",
                "nq2v51-5mx23m-qb7sah",
                "'=cmd, Inc",
                "o365-admin-seats-total",
                "12",
                "10",
                "2024-12-01T00:00:00Z",
                "2024-12-20T11:58:30Z"
            ]
        );
        assert_eq!(parsed[2][5], "");
    }

    #[test]
    fn the_csv_masks_tokens_and_neutralises_formulas() {
        let mut r = record();
        r.message = "=HYPERLINK(\"x\")".into();
        let rows = parse(&audit_csv(&[r])).unwrap();
        assert_eq!(rows[0], AUDIT_COLUMNS);
        assert_eq!(rows[1][5], "'=HYPERLINK(\"x\")");
        assert_eq!(rows[1][8], "admi***mple");
        assert_eq!(rows[1][6], "true");
    }
}
