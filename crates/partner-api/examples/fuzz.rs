//! A time-bounded mutation fuzzer for everything in the core that reads outside input: the
//! XML reader and every Accounts API decoder, every Enterprise API JSON decoder (through the
//! calls' `decode`, with every status), config.json, the embedding protocol, the CSV import,
//! and the validators. No input may panic.
//!
//! ```text
//! cargo run --release -p partner-api --example fuzz -- [--seconds N] [--seed S]
//! ```
//!
//! Stable Rust only (cargo-fuzz needs nightly): seeds are real documents of every kind, and
//! each input stacks 1 to 8 mutations (bit flips, markup and JSON tokens spliced in, ranges
//! deleted, doubled or crossed over from another seed, truncation). A panic writes the input
//! to `target/fuzz-crashes/` and exits 1. It prints executions and time, which
//! `docs/reliability.md` records.

use partner_api::accounts::children::ListChildren;
use partner_api::accounts::contacts::{GetContact, ListContactTypes};
use partner_api::accounts::products::{GetPortfolio, GetProduct};
use partner_api::accounts::tokens::ListTokens;
use partner_api::accounts::users::{GetAccount, GetWhoAmI};
use partner_api::enterprise::account::{GetFeatures, GetQuota, GetSettings, Ping};
use partner_api::enterprise::revisions::ListClientRevisions;
use partner_api::enterprise::shares::ListShares;
use partner_api::{AccountId, Call, Response};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

/// xorshift64*: reproducible from the printed seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const SEEDS: &[&str] = &[
    "<user><id>nq2v51-5mx23m-qb7sah</id><parent>s193b3-l0f8nn-6wo21s</parent><company_name>A &amp; B</company_name><enabled>true</enabled><created>2019-06-04T09:00:00Z</created></user>",
    "<users><user><id>a1b2c3-d4e5f6-g7h8i9</id><company_name>Fjordline</company_name><email>p@x.example</email></user><user><id>z</id><companyname><![CDATA[x<y]]></companyname></user></users>",
    "<users><user id=\"abc\"/><!-- comment --><user><id>q</id></user></users>",
    "<contact><company_name>C</company_name><name>N</name><email>e@x.example</email><street1>S</street1><city>K</city><zip>2100</zip><country>DK</country><vat>DK1</vat></contact>",
    "<contact_types><contact_type>Primary</contact_type><contact_type>Billing</contact_type></contact_types>",
    "<tokens><token><name>rmm</name><type>api</type><role>Partner</role><description>d</description><created>2024-01-01T00:00:00Z</created></token></tokens>",
    "<product><name>Partner Pro</name><inherited>false</inherited></product>",
    "<portfolio><product><name>a</name></product></portfolio>",
    "<user_create><email>a@b.example</email><external_id>x-1</external_id><company_name>c</company_name><country>DK</country><language>da-DK</language><subscribed>true</subscribed></user_create>",
    "<credentials><name>n</name><password>p</password></credentials>",
    "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e \"v\">]><x>&e;&#x41;&#65;</x>",
    r#"{"bytes_available": 1200000000000, "bytes_allocated": 2, "bytes_used": 3, "share_count": 1200, "device_count": 600}"#,
    r#"{"netkes": true, "ldap": false, "group_permissions": true, "signup_restrictions": false, "email_as_username": true}"#,
    r#"{"share_link_ttl": 1440, "autopurge_interval": null, "purgehold_duration": 30, "support_email": "a@b.example", "omva_url": "https://x.example/", "signup_network_restriction": ["10.0.0.0/8", "::1/128"], "ad_domain": null}"#,
    r#"[{"share_id": "s1", "room_key": "r", "owner": "o@x.example", "name": "n", "enabled": true}]"#,
    r#"[{"revision": 5120, "count": 12}, {"revision": 5200, "count": 3}]"#,
    r#"{"pay_type": "card", "company": "c", "address": ["a", "b"], "country": "DK", "card": {"number": "4000000000000002", "cvc": "123", "month": 12, "year": 2030, "name": "n"}}"#,
    r#"{"errors": {"support_email": "not an email"}, "reason": "r", "code": 5}"#,
    r#"{"source": "partner-portal", "type": "navigate", "path": "/accounts/dk-co/x"}"#,
    r#"{"source": "partner-portal", "type": "set-theme", "theme": "dark"}"#,
    "\"pong\"",
    "Company,Email,Country,Language,External id\nAcme,a@b.example,DK,da-DK,x1\n\"Q, \"\"x\"\"\",=cmd,US,en,\n",
    "10.0.0.0/8", "2001:db8::/32", "4000 0000 0000 0002", "a@b.example", "en-US", "https://x.example/a?b#c",
];

const TOKENS: &[&str] = &[
    "<",
    ">",
    "</",
    "/>",
    "<user>",
    "</user>",
    "<id>",
    "</id>",
    "<users>",
    "&amp;",
    "&#x",
    "&#",
    ";",
    "<![CDATA[",
    "]]>",
    "<!--",
    "-->",
    "<?",
    "?>",
    "<!DOCTYPE",
    "=\"",
    "'",
    "\"",
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    "null",
    "true",
    "-1",
    "1e999",
    "18446744073709551616",
    "\\u0000",
    "\\ud800",
    "\u{fffd}",
    "\u{0}",
    "%",
    "{region}",
    "//",
    "\\",
    "\n",
    "\r\n",
    "💾",
    "ǅ",
];

const STATUSES: [u16; 12] = [200, 201, 204, 400, 401, 403, 404, 409, 429, 500, 502, 503];

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut data = seeds[rng.below(seeds.len())].clone();
    for _ in 0..1 + rng.below(8) {
        let len = data.len();
        match rng.below(7) {
            0 if len > 0 => {
                let i = rng.below(len);
                data[i] ^= 1 << rng.below(8);
            }
            1 => {
                let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                let i = rng.below(len + 1);
                data.splice(i..i, t.iter().copied());
            }
            2 if len > 0 => {
                let a = rng.below(len);
                let b = (a + rng.below(32)).min(len);
                data.drain(a..b);
            }
            3 if len > 0 => {
                let a = rng.below(len);
                let b = (a + rng.below(64)).min(len);
                let copy = data[a..b].to_vec();
                let at = rng.below(len + 1);
                data.splice(at..at, copy);
            }
            4 => {
                let other = &seeds[rng.below(seeds.len())];
                if !other.is_empty() {
                    let a = rng.below(other.len());
                    let b = (a + rng.below(64)).min(other.len());
                    let at = rng.below(len + 1);
                    data.splice(at..at, other[a..b].iter().copied());
                }
            }
            5 if len > 0 => data.truncate(rng.below(len)),
            _ => {
                // Deep nesting: past the reader's depth cap.
                let open = if rng.below(2) == 0 { "<a>" } else { "[" };
                let n = 1 + rng.below(400);
                let at = rng.below(len + 1);
                data.splice(at..at, open.repeat(n).into_bytes());
            }
        }
    }
    data.truncate(64 * 1024);
    data
}

/// Takes a result and drops it: only a panic matters here.
fn ignore<T>(_: T) {}

/// Everything that reads outside input, on one input. Returns how many targets ran.
fn run_all(text: &str, status: u16) -> usize {
    let id = AccountId::parse("nq2v51-5mx23m-qb7sah").expect("a valid id");
    let response = Response {
        status,
        headers: vec![
            ("retry-after".into(), text.chars().take(8).collect()),
            ("content-type".into(), "application/json".into()),
        ],
        body: text.to_owned(),
    };
    let mut n = 0;
    let mut run = |f: &dyn Fn()| {
        f();
        n += 1;
    };
    // Accounts API (XML).
    run(&|| ignore(partner_api::wire::xml::parse(text)));
    run(&|| ignore(GetWhoAmI.decode(&response)));
    run(&|| ignore(GetAccount(id.clone()).decode(&response)));
    run(&|| ignore(ListChildren(id.clone()).decode(&response)));
    run(&|| {
        ignore(partner_api::accounts::children::ChildList::from_xml_tree(
            text,
        ))
    });
    run(&|| ignore(partner_api::accounts::children::ListSubtree(id.clone()).decode(&response)));
    run(&|| ignore(partner_api::accounts::permissions::ListRoles(id.clone()).decode(&response)));
    run(&|| {
        ignore(
            partner_api::accounts::tokens::ProbeTokenName {
                account: id.clone(),
                name: text.to_owned(),
            }
            .decode(&response),
        )
    });
    run(&|| {
        ignore(partner_api::accounts::tokens::UpdateToken::role_from_xml(
            text,
        ))
    });
    run(&|| ignore(ListContactTypes(id.clone()).decode(&response)));
    run(&|| {
        ignore(
            GetContact {
                account: id.clone(),
                kind: "Primary".into(),
            }
            .decode(&response),
        )
    });
    run(&|| ignore(ListTokens(id.clone()).decode(&response)));
    run(&|| ignore(GetProduct(id.clone()).decode(&response)));
    run(&|| ignore(GetPortfolio(id.clone()).decode(&response)));
    run(&|| ignore(partner_api::accounts::users::UserCreate::from_xml(text).map(|c| c.validate())));
    run(&|| ignore(partner_api::accounts::users::UserUpdate::from_xml(text)));
    run(&|| {
        ignore(partner_api::accounts::tokens::TokenCreate::from_xml(text).map(|t| t.validate()))
    });
    run(&|| {
        ignore(partner_api::accounts::tokens::NewCredentials::from_xml(
            text,
        ))
    });
    run(&|| ignore(partner_api::accounts::usage::ResourceList::from_xml(text)));
    run(&|| {
        ignore(partner_api::accounts::usage::PortfolioResources::from_xml(
            text,
        ))
    });
    run(&|| ignore(partner_api::accounts::usage::UsageFilter::from_xml(text)));
    run(&|| ignore(partner_api::accounts::usage::MaxUsageList::from_xml(text)));
    run(&|| ignore(partner_api::accounts::usage::UsageTotal::from_xml(text)));
    run(&|| ignore(partner_api::accounts::usage::History::from_xml(text)));
    run(&|| ignore(partner_api::accounts::expirations::ExpirationFilter::from_xml(text)));
    run(&|| ignore(partner_api::accounts::expirations::ExpirationList::from_xml(text)));
    run(&|| ignore(partner_api::accounts::audit::AuditQuery::from_xml(text)));
    run(&|| ignore(partner_api::accounts::audit::AuditLog::from_xml(text)));
    run(&|| ignore(partner_api::accounts::monitoring::BackupSummaryList::from_xml(text)));
    run(&|| ignore(partner_api::accounts::monitoring::Health::from_xml(text)));
    run(&|| ignore(partner_api::accounts::audit::mask_token(text)));
    // Enterprise API (JSON).
    run(&|| ignore(Ping.decode(&response)));
    run(&|| ignore(GetQuota.decode(&response)));
    run(&|| ignore(GetFeatures.decode(&response)));
    run(&|| ignore(GetSettings.decode(&response)));
    run(&|| {
        ignore(
            ListShares {
                limit: Some(50),
                offset: None,
            }
            .decode(&response),
        )
    });
    run(&|| ignore(ListClientRevisions::default().decode(&response)));
    run(&|| {
        ignore(
            serde_json::from_str::<partner_api::enterprise::billing::Billing>(text)
                .map(|b| b.validate((2026, 11))),
        )
    });
    run(&|| {
        ignore(
            serde_json::from_str::<partner_api::enterprise::account::SettingsUpdate>(text)
                .map(|u| u.validate()),
        )
    });
    run(&|| ignore(partner_api::error::ApiError::from_response(&response)));
    // The portal's own inputs.
    run(&|| ignore(partner_api::config::PortalConfig::from_json(text)));
    run(&|| ignore(partner_api::embed::FromHost::from_json(text)));
    run(&|| ignore(partner_api::csv::parse_import(text)));
    run(&|| ignore(partner_api::retry::delay_ms(1, &Ok(response.clone()), 0.5)));
    // Validators.
    use partner_api::validate;
    run(&|| ignore(validate::email(text)));
    run(&|| ignore(validate::country(text)));
    run(&|| ignore(validate::language_tag(text)));
    run(&|| ignore(validate::card_number(text)));
    run(&|| ignore(validate::card_display(text)));
    run(&|| ignore(validate::cidr(text)));
    run(&|| ignore(validate::url(text)));
    run(&|| ignore(validate::password(text)));
    run(&|| ignore(validate::whole_number(text, "n")));
    run(&|| ignore(partner_api::config::check_endpoint(text)));
    run(&|| ignore(partner_api::accounts::tokens::check_lifetime(text)));
    run(&|| ignore(partner_api::accounts::tokens::timestamp_seconds(text)));
    run(&|| ignore(partner_api::brand::Rgb::parse(text)));
    n
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse::<u64>().ok())
    };
    let seconds = flag("--seconds").unwrap_or(10);
    let seed = flag("--seed").unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64)
            | 1
    });
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut seeds: Vec<Vec<u8>> = SEEDS.iter().map(|s| s.as_bytes().to_vec()).collect();
    for file in ["public/config.json", "deploy/config.example.json"] {
        if let Ok(text) = std::fs::read(root.join(file)) {
            seeds.push(text);
        }
    }
    // Quiet panics: a panic is reported once, below, with its input.
    std::panic::set_hook(Box::new(|info| eprintln!("panic: {info}")));
    let mut rng = Rng(seed);
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let (mut executions, mut targets) = (0u64, 0usize);
    while Instant::now() < deadline {
        for _ in 0..64 {
            let input = mutate(&mut rng, &seeds);
            let text = String::from_utf8_lossy(&input).into_owned();
            let status = STATUSES[rng.below(STATUSES.len())];
            match catch_unwind(AssertUnwindSafe(|| run_all(&text, status))) {
                Ok(n) => targets = n,
                Err(_) => {
                    let dir = root.join("target/fuzz-crashes");
                    let _ = std::fs::create_dir_all(&dir);
                    let file = dir.join(format!("crash-{seed}-{executions}.txt"));
                    let _ = std::fs::write(&file, &input);
                    eprintln!(
                        "fuzz: PANIC after {executions} executions (seed {seed}, status {status}); input in {}",
                        file.display()
                    );
                    std::process::exit(1);
                }
            }
            executions += 1;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "fuzz: {executions} executions over {targets} targets in {elapsed:.1} s ({:.0}/s), seed {seed}, no panic",
        executions as f64 / elapsed
    );
}
