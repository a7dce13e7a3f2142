//! Seeds: the demo tree (the same distributor in dk-co, de-fr and us-dc, with different GUIDs)
//! and generated large trees. Deterministic, so a demo shows the same GUIDs every time.

use crate::world::{Account, Connector, Device, Region, TokenRecord, World};
use partner_api::accounts::contacts::{Contact, PRIMARY_CONTACT};
use partner_api::accounts::products::Product;
use partner_api::accounts::tokens::Token;
use partner_api::demo::{DEMO_LOGINS, DEMO_PASSWORD, DEMO_REGIONS};
use partner_api::enterprise::account::{Features, Settings};
use partner_api::enterprise::groups::Group;
use partner_api::enterprise::plans::Plan;
use partner_api::enterprise::shares::{Share, ShareOwner};
use partner_api::enterprise::users::{Device as UserDevice, User};
use partner_api::{AccountId, Role};
use std::fmt;
use std::str::FromStr;

/// Which state the sandbox starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seed {
    /// The demo tree with the four demo logins.
    Demo,
    /// Seven empty regions.
    None,
    /// A generated tree of about N accounts in dk-co: one level 10,000+ wide (when N allows),
    /// a chain 25 levels deep, and partners with customers for the rest.
    Large(usize),
}

impl FromStr for Seed {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "demo" => Ok(Seed::Demo),
            "none" => Ok(Seed::None),
            _ => match s.strip_prefix("large:").map(str::parse::<usize>) {
                Some(Ok(n)) if (1..=2_000_000).contains(&n) => Ok(Seed::Large(n)),
                _ => Err(format!(
                    "unknown seed “{s}”: use demo, none or large:N (N from 1 to 2000000)"
                )),
            },
        }
    }
}

impl fmt::Display for Seed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Seed::Demo => f.write_str("demo"),
            Seed::None => f.write_str("none"),
            Seed::Large(n) => write!(f, "large:{n}"),
        }
    }
}

impl Seed {
    pub fn build(self) -> World {
        let mut world = World::empty();
        match self {
            Seed::None => {}
            Seed::Demo => {
                for (i, region) in DEMO_REGIONS.iter().enumerate() {
                    let r = world.regions.get_mut(*region).expect("demo region exists");
                    demo_region(r, region, &DEMO_NAMES[i]);
                }
            }
            Seed::Large(n) => {
                let r = world.regions.get_mut("dk-co").expect("dk-co exists");
                large_region(r, n);
                // The lighter version: usage for the first thousand customers only.
                seed_usage(r, "dk-co", crate::clock::unix_now(), 1_000);
            }
        }
        world
    }
}

/// SplitMix64: small, fast, deterministic.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: &str) -> Self {
        // FNV-1a of the seed text.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in seed.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        Rng(h)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// A fresh account GUID.
    pub fn account_id(&mut self) -> AccountId {
        const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
        let mut s = String::with_capacity(20);
        for group in 0..3 {
            if group > 0 {
                s.push('-');
            }
            for _ in 0..6 {
                s.push(ALPHABET[self.below(36) as usize] as char);
            }
        }
        AccountId::parse(&s).expect("generated ids are valid")
    }

    /// A creation time not before `earlier` (a parent's), ISO-8601 UTC.
    pub fn timestamp_after(&mut self, earlier: &str) -> String {
        let from: u64 = earlier
            .get(..4)
            .and_then(|y| y.parse().ok())
            .unwrap_or(2019);
        let year = from + self.below(2026u64.saturating_sub(from).max(1));
        let candidate = format!(
            "{}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            year,
            1 + self.below(12),
            1 + self.below(28),
            self.below(24),
            self.below(60),
            self.below(60)
        );
        if candidate.as_str() < earlier {
            earlier.to_owned()
        } else {
            candidate
        }
    }

    /// A password nobody will guess (for seeded users who are not demo logins).
    pub fn password(&mut self) -> String {
        (0..24)
            .map(|_| {
                const A: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
                A[self.below(A.len() as u64) as usize] as char
            })
            .collect()
    }
}

/// Who to put on a seeded account.
struct Person<'a> {
    full_name: &'a str,
    email: String,
    role: Role,
    password: String,
}

struct NewAccount<'a> {
    company: &'a str,
    country: &'a str,
    language: &'a str,
    owner: Person<'a>,
    enabled: bool,
    product: Option<&'a str>,
}

fn add(region: &mut Region, rng: &mut Rng, parent: Option<&AccountId>, a: NewAccount) -> AccountId {
    let id = rng.account_id();
    let created = match parent.and_then(|p| region.accounts.get(p)) {
        Some(p) => rng.timestamp_after(&p.created),
        None => format!(
            "2019-{:02}-{:02}T09:00:00Z",
            1 + rng.below(6),
            1 + rng.below(28)
        ),
    };
    let contact = Contact {
        kind: PRIMARY_CONTACT.into(),
        email: Some(a.owner.email.clone()),
        company_name: Some(a.company.into()),
        full_name: Some(a.owner.full_name.into()),
        phone: Some(format!(
            "+{} {}",
            10 + rng.below(89),
            10_000_000 + rng.below(89_999_999)
        )),
        country: Some(a.country.into()),
        language: Some(a.language.into()),
        ..Contact::default()
    };
    let mut account = Account::new(id.clone(), parent.cloned(), created.clone());
    account.enabled = a.enabled;
    account.product = a.product.map(str::to_owned);
    account.contacts = vec![contact];
    account.tokens = vec![TokenRecord::new(
        Token {
            name: a.owner.email,
            description: Some(format!("{} ({})", a.owner.full_name, a.company)),
            created: Some(created),
            primary: true,
            role: a.owner.role,
            eacl: None,
            lifetime: None,
            expires: None,
            last_use: None,
            primary_aname: None,
        },
        &a.owner.password,
    )];
    region.insert(account);
    id
}

/// Adds another person's login to an account.
fn add_login(
    region: &mut Region,
    id: &AccountId,
    name: &str,
    full_name: &str,
    role: Role,
    password: &str,
) {
    let account = region.accounts.get_mut(id).expect("account exists");
    account.tokens.push(TokenRecord::new(
        Token {
            name: name.into(),
            description: Some(full_name.into()),
            created: Some(account.created.clone()),
            primary: true,
            role,
            eacl: None,
            lifetime: None,
            expires: None,
            last_use: None,
            primary_aname: None,
        },
        password,
    ));
    region.logins.insert(name.into(), id.clone());
}

/// Names for one region's demo tree: (company, contact person, email domain).
struct DemoNames {
    country: &'static str,
    language: &'static str,
    distributor: (&'static str, &'static str),
    partners: [(&'static str, &'static str, &'static str); 3],
    msp: (&'static str, &'static str, &'static str),
    customers: [(&'static str, &'static str, &'static str); 9],
}

const DEMO_NAMES: [DemoNames; 3] = [
    DemoNames {
        country: "DK",
        language: "da-DK",
        distributor: ("Nordlys Cloud Distribution A/S", "Mette Lindholm"),
        partners: [
            (
                "Fjordline IT Partners ApS",
                "Jonas Krogh",
                "fjordline-it.example",
            ),
            ("Kobenhavn Cloud Consult", "Sofie Dahl", "kbh-cloud.example"),
            (
                "Jutland Systems Group",
                "Anders Vestergaard",
                "jutland-systems.example",
            ),
        ],
        msp: ("Havn Managed Services", "Lars Holm", "havn-msp.example"),
        customers: [
            ("Odense Tandklinik", "Camilla Berg", "odense-tand.example"),
            (
                "Roskilde Advokatfirma",
                "Peter Skov",
                "roskilde-law.example",
            ),
            (
                "Aalborg Marine Supply",
                "Henrik Nygaard",
                "aalborg-marine.example",
            ),
            ("Aarhus Bageri", "Ida Mortensen", "aarhus-bageri.example"),
            ("Vejle Arkitekter", "Nikolaj Friis", "vejle-ark.example"),
            ("Esbjerg Logistik", "Line Poulsen", "esbjerg-log.example"),
            ("Helsingor Hotel", "Mads Kjaer", "helsingor-hotel.example"),
            ("Randers Revision", "Emma Juhl", "randers-rev.example"),
            (
                "Silkeborg Skole IT",
                "Rasmus Bak",
                "silkeborg-skole.example",
            ),
        ],
    },
    DemoNames {
        country: "DE",
        language: "de-DE",
        distributor: ("Rheinwerk Cloud Distribution GmbH", "Katrin Vogel"),
        partners: [
            (
                "Mainufer IT-Partner GmbH",
                "Tobias Richter",
                "mainufer-it.example",
            ),
            (
                "Hanse Cloud Beratung",
                "Lea Hoffmann",
                "hanse-cloud.example",
            ),
            (
                "Schwarzwald Systemhaus",
                "Felix Wagner",
                "schwarzwald-sys.example",
            ),
        ],
        msp: ("Elbe Managed Services", "Jan Becker", "elbe-msp.example"),
        customers: [
            ("Zahnarztpraxis Bonn", "Anna Schulz", "zahn-bonn.example"),
            (
                "Kanzlei Meyer & Partner",
                "Lukas Meyer",
                "kanzlei-meyer.example",
            ),
            (
                "Hafenlogistik Bremen",
                "Miriam Krause",
                "hafen-bremen.example",
            ),
            (
                "Backhaus Leipzig",
                "Paul Neumann",
                "backhaus-leipzig.example",
            ),
            ("Architekturbuero Koeln", "Clara Wolf", "arch-koeln.example"),
            (
                "Spedition Dresden",
                "Max Zimmermann",
                "sped-dresden.example",
            ),
            ("Hotel am Bodensee", "Laura Braun", "hotel-bodensee.example"),
            ("Steuerberatung Kiel", "Jonas Hartmann", "stb-kiel.example"),
            ("Gymnasium Ulm IT", "Sarah Lange", "gym-ulm.example"),
        ],
    },
    DemoNames {
        country: "US",
        language: "en-US",
        distributor: ("Potomac Cloud Distribution Inc.", "Rachel Morgan"),
        partners: [
            (
                "Capitol IT Partners LLC",
                "Marcus Reed",
                "capitol-it.example",
            ),
            (
                "Blue Ridge Cloud Consulting",
                "Olivia Bennett",
                "blueridge-cloud.example",
            ),
            (
                "Chesapeake Systems Group",
                "Daniel Foster",
                "chesapeake-sys.example",
            ),
        ],
        msp: (
            "Harbor Managed Services",
            "Kevin Brooks",
            "harbor-msp.example",
        ),
        customers: [
            (
                "Alexandria Family Dental",
                "Emily Carter",
                "alex-dental.example",
            ),
            (
                "Baltimore Legal Group",
                "James Turner",
                "balt-legal.example",
            ),
            (
                "Norfolk Marine Supply",
                "Laura Price",
                "norfolk-marine.example",
            ),
            (
                "Arlington Bakery",
                "Sophia Hayes",
                "arlington-bakery.example",
            ),
            ("Richmond Architects", "Ethan Ward", "richmond-arch.example"),
            (
                "Annapolis Freight",
                "Grace Collins",
                "annapolis-freight.example",
            ),
            ("Georgetown Inn", "Noah Sanders", "georgetown-inn.example"),
            ("Fairfax Accounting", "Ava Murphy", "fairfax-acct.example"),
            (
                "Rockville School District IT",
                "Liam Perry",
                "rockville-sd.example",
            ),
        ],
    },
];

fn email(full_name: &str, domain: &str) -> String {
    let local: String = full_name
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(".")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
        .collect();
    format!("{local}@{domain}")
}

/// Distributor > partners, an MSP partner, customers; four levels below the distributor at
/// the deepest (distributor > partner > MSP > customer).
fn demo_region(region: &mut Region, name: &str, n: &DemoNames) {
    let mut rng = Rng::new(&format!("demo/{name}"));
    let demo = |login: &str, role: Role| Person {
        full_name: "",
        email: login.into(),
        role,
        password: DEMO_PASSWORD.into(),
    };
    let [distributor_login, partner_login, msp_login, readonly_login] = DEMO_LOGINS;
    let acct = |company, owner, enabled, product| NewAccount {
        company,
        country: n.country,
        language: n.language,
        owner,
        enabled,
        product,
    };

    let mut owner = demo(distributor_login.login, distributor_login.role());
    owner.full_name = n.distributor.1;
    region.catalog = catalog();
    let root = add(
        region,
        &mut rng,
        None,
        acct(n.distributor.0, owner, true, Some("partner-pro")),
    );

    // Partner 1 (the partner@ login) with the MSP (the msp@ login) below it.
    let (p1c, p1n, _) = n.partners[0];
    let mut owner = demo(partner_login.login, partner_login.role());
    owner.full_name = p1n;
    let p1 = add(region, &mut rng, Some(&root), acct(p1c, owner, true, None));
    add_login(
        region,
        &p1,
        readonly_login.login,
        "Read-only auditor",
        readonly_login.role(),
        DEMO_PASSWORD,
    );
    add_session(region, &p1, partner_login.login, partner_login.role());
    let (mc, mn, _) = n.msp;
    let mut owner = demo(msp_login.login, msp_login.role());
    owner.full_name = mn;
    let msp = add(
        region,
        &mut rng,
        Some(&p1),
        acct(mc, owner, true, Some("msp-standard")),
    );

    let customer = |rng: &mut Rng, i: usize| {
        let (_, person, domain) = n.customers[i];
        Person {
            full_name: person,
            email: email(person, domain),
            role: Role::MasterAdmin,
            password: rng.password(),
        }
    };
    for i in 0..3 {
        let owner = customer(&mut rng, i);
        add(
            region,
            &mut rng,
            Some(&msp),
            acct(n.customers[i].0, owner, true, None),
        );
    }
    let owner = customer(&mut rng, 3);
    add(
        region,
        &mut rng,
        Some(&p1),
        acct(n.customers[3].0, owner, true, Some("backup-business")),
    );
    let owner = customer(&mut rng, 4);
    let disabled = add(
        region,
        &mut rng,
        Some(&p1),
        acct(n.customers[4].0, owner, false, None),
    );
    // Deleting this one only schedules it: the region keeps it for 30 days.
    region
        .accounts
        .get_mut(&disabled)
        .expect("just added")
        .retention_days = Some(30);

    // Partner 2 with two customers.
    let (p2c, p2n, p2d) = n.partners[1];
    let owner = Person {
        full_name: p2n,
        email: email(p2n, p2d),
        role: Role::PartnerParent,
        password: rng.password(),
    };
    let p2 = add(region, &mut rng, Some(&root), acct(p2c, owner, true, None));
    for i in 5..7 {
        let owner = customer(&mut rng, i);
        add(
            region,
            &mut rng,
            Some(&p2),
            acct(n.customers[i].0, owner, true, None),
        );
    }

    // An MSP partner directly under the distributor, with one customer.
    let (p3c, p3n, p3d) = n.partners[2];
    let owner = Person {
        full_name: p3n,
        email: email(p3n, p3d),
        role: Role::MspPartner,
        password: rng.password(),
    };
    let p3 = add(region, &mut rng, Some(&root), acct(p3c, owner, true, None));
    let owner = customer(&mut rng, 7);
    add(
        region,
        &mut rng,
        Some(&p3),
        acct(n.customers[7].0, owner, true, None),
    );

    // A customer directly under the distributor.
    let owner = customer(&mut rng, 8);
    add(
        region,
        &mut rng,
        Some(&root),
        acct(n.customers[8].0, owner, true, None),
    );

    // Enterprise data: the distributor has a brand with 1,200 shares and a device fleet.
    let partners: Vec<AccountId> = region
        .accounts
        .values()
        .filter(|a| a.kind() == partner_api::AccountKind::Partner)
        .map(|a| a.id.clone())
        .collect();
    for id in partners {
        let (shares, devices) = if id == root { (1200, 600) } else { (40, 60) };
        seed_enterprise(region, &mut rng, &id, shares, devices, n.customers[0].2);
    }
    seed_usage(region, name, crate::clock::unix_now(), usize::MAX);
}

/// Usage for the demo tree's customers, in the order of their GUIDs (deterministic), as of
/// `now`: customer `i` has `2 + i % 3` connectors of consecutive workload types starting at
/// type `2 i` (so the nine customers cover all fourteen), each with seats, a limit and 60
/// days of history ending today. Customers 1 and 5 are over a limit in grace (it ends in
/// 8 and 12 days), 3 and 7 over a limit whose grace has ended (4 and 10 days ago), and
/// customer 8 exactly at its limit. Backups: of all connectors counted in order, every
/// seventh from the first is still onboarding (no complete snapshot), every seventh from
/// the fourth failed its last snapshot (critical), and every seventh from the sixth has not
/// run for 30 hours (unhealthy); the rest completed within the last hours (healthy).
/// At most `max` customers (the first by GUID) get usage.
pub fn seed_usage(region: &mut Region, name: &str, now: i64, max: usize) {
    use partner_api::accounts::expirations::WORKLOAD_GROUPS;
    let today = now.div_euclid(86_400);
    let mut customers: Vec<AccountId> = region
        .accounts
        .values()
        .filter(|a| a.kind() == partner_api::AccountKind::Customer)
        .map(|a| a.id.clone())
        .collect();
    customers.sort();
    customers.truncate(max);
    let mut count = 0usize;
    for (i, id) in customers.iter().enumerate() {
        let mut rng = Rng::new(&format!("usage/{name}/{id}"));
        let mut connectors = Vec::new();
        for j in 0..2 + i % 3 {
            let kind = WORKLOAD_GROUPS[(2 * i + j) % WORKLOAD_GROUPS.len()];
            let seats = 5 + rng.below(60);
            let mut limit = seats + 5 + rng.below(20);
            let mut grace = None;
            if j == 0 {
                match i {
                    1 | 5 => {
                        limit = seats - 2 - rng.below(3);
                        grace = Some(crate::clock::iso(now + (7 + i as i64) * 86_400));
                    }
                    3 | 7 => {
                        limit = seats - 2 - rng.below(3);
                        grace = Some(crate::clock::iso(now - (1 + i as i64) * 86_400));
                    }
                    8 => limit = seats,
                    _ => {}
                }
            }
            // Sixty days ending today at `seats`, from about three quarters of it.
            let start = seats * 3 / 4;
            let daily: Vec<u64> = (0..60u64)
                .map(|d| {
                    if d == 59 {
                        seats
                    } else {
                        (start + (seats - start) * d / 59 + rng.below(3)).min(seats + 1)
                    }
                })
                .collect();
            let hours = 3_600;
            let (last_snapshot, last_complete, health) = match count % 7 {
                0 => (Some(now - hours), None, "unhealthy"),
                3 => (Some(now - 2 * hours), Some(now - 3 * 86_400), "critical"),
                5 => (Some(now - 30 * hours), Some(now - 30 * hours), "unhealthy"),
                _ => {
                    let t = now - (1 + rng.below(5) as i64) * hours;
                    (Some(t), Some(t), "healthy")
                }
            };
            let size = seats * (2_000_000_000 + rng.below(3_000_000_000));
            connectors.push(Connector {
                guid: rng.account_id().to_string(),
                kind: kind.into(),
                seats,
                limit: Some(limit),
                grace_expires: grace,
                history_from: today - 59,
                daily,
                last_snapshot,
                last_complete,
                size,
                size_change: rng.below(200_000_000) as i64 - 50_000_000,
                health: health.into(),
            });
            count += 1;
        }
        if let Some(a) = region.accounts.get_mut(id) {
            a.connectors = connectors;
        }
    }
}

/// The products of every region's catalog.
pub fn catalog() -> Vec<Product> {
    [
        ("partner-pro", "Partner Pro"),
        ("msp-standard", "MSP Standard"),
        ("backup-business", "Backup Business"),
        ("backup-enterprise", "Backup Enterprise"),
        ("archive-10y", "Archive 10 years"),
    ]
    .into_iter()
    .map(|(id, name)| Product {
        id: id.into(),
        name: name.into(),
    })
    .collect()
}

fn seed_enterprise(
    region: &mut Region,
    rng: &mut Rng,
    id: &AccountId,
    shares: usize,
    devices: usize,
    domain: &str,
) {
    const ROOMS: [&str; 8] = [
        "Projects",
        "Invoices",
        "Design",
        "Contracts",
        "Photos",
        "Board",
        "HR",
        "Backups",
    ];
    let bytes_allocated = 1_099_511_627_776 + rng.below(1_099_511_627_776);
    let fleet: Vec<Device> = (0..devices)
        .map(|_| Device {
            revision: 180 + rng.below(12) as i64,
            days_since_login: rng.below(120) as i64,
        })
        .collect();
    let e = region.enterprise_of(id);
    e.bytes_available = if shares > 100 {
        None
    } else {
        Some(5_497_558_138_880)
    };
    e.bytes_allocated = bytes_allocated;
    e.features = Features {
        netkes: shares > 100,
        ldap: true,
        group_permissions: true,
        signup_restrictions: false,
        email_as_username: true,
    };
    e.settings = Settings {
        omva_url: Some(format!("https://omva.{domain}/")),
        support_email: Some(format!("support@{domain}")),
        share_link_ttl: Some(10_080),
        autopurge_interval: Some(30),
        purgehold_duration: Some(86_400),
        ad_domain: None,
        signup_network_restriction: vec!["192.0.2.0/24".into(), "2001:db8::/32".into()],
        // The two settings the vendor's console has beyond the seven documented ones.
        versionpurge_interval: Some(90),
        sharing_enabled: Some(true),
    };
    // The shares grouped by owner, as GET /shares/ answers them: 97 users, each owning
    // every 97th share.
    let owners = shares.min(97);
    e.shares = (0..owners)
        .map(|u| ShareOwner {
            name: format!("User {u}"),
            email: format!("user{u}@{domain}"),
            username: format!("user{u}"),
            shares: (u..shares)
                .step_by(97)
                .map(|i| Share {
                    name: format!("{} {}", ROOMS[i % ROOMS.len()], i / ROOMS.len() + 1),
                    room_key: format!("room-{i:05}"),
                    description: None,
                    creation_time: Some(1_700_000_000 + i as i64 * 3_600),
                    update_time: None,
                    enabled: i % 11 != 0,
                    password_required: i % 5 == 0,
                })
                .collect(),
        })
        .collect();
    e.devices = fleet;
    let users = if shares > 100 { 320 } else { 40 };
    let company = region
        .accounts
        .get(id)
        .and_then(|a| a.company())
        .unwrap_or("Everyone")
        .to_owned();
    seed_people(region.enterprise_of(id), rng, &company, users, domain);
}

const WORDS_A: [&str; 16] = [
    "North", "Blue", "Granite", "Harbor", "Summit", "Cedar", "Silver", "Meadow", "River", "Iron",
    "Falcon", "Amber", "Willow", "Coastal", "Pioneer", "Bright",
];
const WORDS_B: [&str; 16] = [
    "Dental",
    "Legal",
    "Logistics",
    "Bakery",
    "Architects",
    "Clinic",
    "Accounting",
    "Systems",
    "Marine",
    "Consulting",
    "Hotel",
    "School",
    "Foods",
    "Media",
    "Energy",
    "Labs",
];
const FIRST: [&str; 12] = [
    "Anna", "Ben", "Chloe", "David", "Eva", "Finn", "Greta", "Hugo", "Iris", "Jakob", "Kara", "Leo",
];
const LAST: [&str; 12] = [
    "Andersen", "Berg", "Clark", "Dahl", "Evans", "Fischer", "Gray", "Hansen", "Ito", "Jensen",
    "Klein", "Lund",
];

fn generated(rng: &mut Rng, i: usize, role: Role) -> (String, Person<'static>) {
    let company = format!(
        "{} {} {}",
        WORDS_A[rng.below(16) as usize],
        WORDS_B[rng.below(16) as usize],
        i
    );
    let person = format!(
        "{} {}",
        FIRST[rng.below(12) as usize],
        LAST[rng.below(12) as usize]
    );
    let email = format!(
        "{}.{}@{}.example",
        person.split(' ').next().unwrap_or_default().to_lowercase(),
        i,
        company.split(' ').next().unwrap_or_default().to_lowercase()
    );
    (
        company,
        Person {
            full_name: "",
            email,
            role,
            password: format!("generated-{i}"),
        },
    )
}

/// A tree of about `n` accounts: the distributor (distributor@demo.example) at the top, a
/// wide partner (partner@demo.example) holding the largest level, a 25-level chain, and
/// partners of 100 customers each for the rest.
fn large_region(region: &mut Region, n: usize) {
    let mut rng = Rng::new("large");
    region.catalog = catalog();
    let demo_owner = |login: &str, role: Role, full_name: &'static str| Person {
        full_name,
        email: login.into(),
        role,
        password: DEMO_PASSWORD.into(),
    };
    fn acct<'a>(company: &'a str, owner: Person<'a>) -> NewAccount<'a> {
        NewAccount {
            company,
            country: "DK",
            language: "en-GB",
            owner,
            enabled: true,
            product: None,
        }
    }
    let root = add(
        region,
        &mut rng,
        None,
        acct(
            "Large Seed Distribution",
            demo_owner(
                DEMO_LOGINS[0].login,
                Role::PartnerParent,
                "Seed Distributor",
            ),
        ),
    );
    // The brand's people scale with the tree: N users over the seeded groups and plans.
    seed_people(
        region.enterprise_of(&root),
        &mut rng,
        "Large Seed Distribution",
        n.min(crate::people::MAX_USERS),
        "large.example",
    );
    let mut made = 1;
    if made >= n {
        return;
    }
    let wide = add(
        region,
        &mut rng,
        Some(&root),
        acct(
            "Wide Partner",
            demo_owner(
                DEMO_LOGINS[1].login,
                Role::PartnerParent,
                "Wide Partner Owner",
            ),
        ),
    );
    made += 1;
    let remaining = n.saturating_sub(made);
    // One level of exactly 10,000 children once the tree is big enough (the benchmark's level).
    let wide_count = if n >= 20_000 { 10_000 } else { remaining / 2 };
    let mut children = Vec::with_capacity(wide_count);
    for i in 0..wide_count {
        let (company, mut owner) = generated(&mut rng, made, Role::MasterAdmin);
        let full_name: &'static str = FIRST[i % 12];
        owner.full_name = full_name;
        let id = rng.account_id();
        children.push(id.clone());
        insert_fast(region, &mut rng, id, &wide, &company, owner);
        made += 1;
    }
    region
        .accounts
        .get_mut(&wide)
        .expect("wide exists")
        .children = children;

    // A chain 25 levels deep.
    let mut parent = root.clone();
    for depth in 0..25 {
        if made >= n {
            return;
        }
        let (company, mut owner) = generated(&mut rng, made, Role::PartnerParent);
        owner.full_name = "Deep Chain";
        let company = format!("Depth {} {}", depth + 1, company);
        parent = add(region, &mut rng, Some(&parent), acct(&company, owner));
        made += 1;
    }

    // Partners with 100 customers each for the rest.
    while made < n {
        let (company, mut owner) = generated(&mut rng, made, Role::PartnerParent);
        owner.full_name = "Partner Owner";
        let partner = add(region, &mut rng, Some(&root), acct(&company, owner));
        made += 1;
        for _ in 0..100 {
            if made >= n {
                break;
            }
            let (company, mut owner) = generated(&mut rng, made, Role::MasterAdmin);
            owner.full_name = "Customer Owner";
            add(region, &mut rng, Some(&partner), acct(&company, owner));
            made += 1;
        }
    }
}

/// A browser sign-in session of `login`, listed as Keepit lists one: a secondary token with
/// the login it belongs to and a 48-hour lifetime (keepit.com/help/api-category/
/// retrieve-information-on-all-tokens). It signs nothing in here: only listed.
fn add_session(region: &mut Region, id: &AccountId, login: &str, role: Role) {
    let account = region.accounts.get_mut(id).expect("account exists");
    account.tokens.push(TokenRecord {
        token: Token {
            name: format!("session-{}", &id.as_str()[..6]),
            description: Some("Sign-in session".into()),
            created: Some(account.created.clone()),
            primary: false,
            role,
            eacl: None,
            lifetime: Some("PT48H".into()),
            expires: None,
            last_use: None,
            primary_aname: Some(login.into()),
        },
        password: Default::default(),
    });
}

/// Inserts without appending to the parent's child list (the caller sets it in one go).
fn insert_fast(
    region: &mut Region,
    rng: &mut Rng,
    id: AccountId,
    parent: &AccountId,
    company: &str,
    owner: Person,
) {
    let created = rng.timestamp_after(&region.accounts[parent].created);
    region.logins.insert(owner.email.clone(), id.clone());
    let mut account = Account::new(id.clone(), Some(parent.clone()), created.clone());
    account.contacts = vec![Contact {
        kind: PRIMARY_CONTACT.into(),
        email: Some(owner.email.clone()),
        company_name: Some(company.into()),
        full_name: Some(owner.full_name.into()),
        ..Contact::default()
    }];
    account.tokens = vec![TokenRecord::new(
        Token {
            name: owner.email,
            description: None,
            created: Some(created),
            primary: true,
            role: owner.role,
            eacl: None,
            lifetime: None,
            expires: None,
            last_use: None,
            primary_aname: None,
        },
        &owner.password,
    )];
    region.accounts.insert(id, account);
}

/// The seed's people for one partner: four plans, five groups, `users` users (the brand's
/// share owners first, so every owner is a user), 0 to 3 devices each.
fn seed_people(
    e: &mut crate::world::Enterprise,
    rng: &mut Rng,
    company: &str,
    users: usize,
    domain: &str,
) {
    const GB: u64 = 1_000_000_000;
    const FIRST: [&str; 12] = [
        "Anna", "Bo", "Carl", "Dina", "Emil", "Freja", "Gustav", "Hanne", "Ida", "Jonas", "Karen",
        "Lars",
    ];
    const LAST: [&str; 8] = [
        "Holm",
        "Berg",
        "Lund",
        "Dahl",
        "Skov",
        "Vestergaard",
        "Nygaard",
        "Krogh",
    ];
    let p = &mut e.people;
    p.plans = [50, 100, 250, 1000]
        .iter()
        .enumerate()
        .map(|(i, gb)| Plan {
            plan_id: i as i64 + 1,
            storage_bytes: gb * GB,
            name: None,
        })
        .collect();
    let names = [company, "Sales", "Engineering", "Finance", "Support"];
    p.groups = names
        .iter()
        .enumerate()
        .map(|(i, n)| Group {
            group_id: i as i64 + 1,
            name: (*n).to_owned(),
            plan_id: [2, 1, 3, 2, 1][i],
            webapi_enable: i != 3,
            check_domain: i == 2,
        })
        .collect();
    p.next_group_id = names.len() as i64;
    let owners: Vec<(String, String, String)> = e
        .shares
        .iter()
        .map(|o| (o.name.clone(), o.email.clone(), o.username.clone()))
        .collect();
    let p = &mut e.people;
    p.users = (0..users)
        .map(|n| {
            let (name, email, username) = owners.get(n).cloned().unwrap_or_else(|| {
                let first = FIRST[n % FIRST.len()];
                let last = LAST[(n / FIRST.len()) % LAST.len()];
                (
                    format!("{first} {last}"),
                    format!(
                        "{}.{}{n}@{domain}",
                        first.to_lowercase(),
                        last.to_lowercase()
                    ),
                    format!("user{n}"),
                )
            });
            let group = p.groups[n % p.groups.len()].clone();
            let plan = p
                .plans
                .iter()
                .find(|x| x.plan_id == group.plan_id)
                .cloned()
                .unwrap_or_default();
            let bonus = if n % 9 == 0 { 10 * GB } else { 0 };
            let quota = plan.storage_bytes + bonus;
            let created = 1_690_000_000 + n as i64 * 86_400 / 3;
            crate::world::Person {
                user: User {
                    avatar_id: Some(1001 + n as i64),
                    username,
                    email,
                    name,
                    group_id: Some(group.group_id),
                    plan_id: Some(plan.plan_id),
                    enabled: n % 17 != 5,
                    bytes_stored: rng.below(quota / 1000 * 11 / 10 + 1) * 1000,
                    storage_bytes: quota,
                    bonus_bytes: bonus,
                    creation_time: Some(created),
                    last_login: (n % 7 != 3).then(|| created + rng.below(20_000_000) as i64),
                },
                devices: (0..rng.below(4))
                    .map(|d| UserDevice {
                        device_id: Some(d as i64 + 1),
                        name: format!(
                            "{}-{}",
                            ["LAPTOP", "DESKTOP", "PHONE", "SERVER"][(n + d as usize) % 4],
                            100 + (n * 7 + d as usize) % 900
                        ),
                        creation_time: Some(created + d as i64 * 3_600),
                        last_login: Some(created + rng.below(20_000_000) as i64),
                    })
                    .collect(),
                password_set: false,
            }
        })
        .collect();
    p.next_avatar_id = 1000 + users as i64;
    e.bytes_allocated = e.people.allocated();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_parse() {
        assert_eq!("demo".parse(), Ok(Seed::Demo));
        assert_eq!("none".parse(), Ok(Seed::None));
        assert_eq!("large:100000".parse(), Ok(Seed::Large(100_000)));
        assert!("large:0".parse::<Seed>().is_err());
        assert!("huge"
            .parse::<Seed>()
            .unwrap_err()
            .contains("demo, none or large:N"));
    }

    #[test]
    fn demo_is_deterministic_and_distinct_per_region() {
        let a = Seed::Demo.build();
        let b = Seed::Demo.build();
        let root = |w: &World, r: &str| {
            let region = w.region(r).unwrap();
            region.logins["distributor@demo.example"].clone()
        };
        assert_eq!(root(&a, "dk-co"), root(&b, "dk-co"));
        assert_ne!(root(&a, "dk-co"), root(&a, "de-fr"));
        assert_ne!(root(&a, "de-fr"), root(&a, "us-dc"));
        assert!(a.region("ch-zh").unwrap().accounts.is_empty());
        for r in DEMO_REGIONS {
            let region = a.region(r).unwrap();
            for login in DEMO_LOGINS {
                assert!(
                    region.logins.contains_key(login.login),
                    "{} in {r}",
                    login.login
                );
            }
            // At least three levels below the distributor: customer > MSP > partner > root.
            let msp = &region.logins["msp@demo.example"];
            let customer = region.accounts[msp].children.first().unwrap();
            let mut depth = 0;
            let mut cursor = Some(customer);
            while let Some(id) = cursor {
                cursor = region.accounts[id].parent.as_ref();
                if cursor.is_some() {
                    depth += 1;
                }
            }
            assert!(depth >= 3, "depth {depth}");
        }
    }

    #[test]
    fn large_seed_is_wide_and_deep() {
        let start = std::time::Instant::now();
        let w = Seed::Large(30_000).build();
        assert!(start.elapsed().as_secs() < 20);
        let r = w.region("dk-co").unwrap();
        assert_eq!(r.accounts.len(), 30_000);
        let with_usage = r.accounts.values().filter(|a| !a.connectors.is_empty());
        assert_eq!(with_usage.count(), 1_000, "the lighter usage seed");
        let wide = &r.accounts[&r.logins["partner@demo.example"]];
        assert!(wide.children.len() >= 10_000);
        let deepest = r
            .accounts
            .keys()
            .map(|id| {
                let mut d = 0;
                let mut c = r.accounts[id].parent.as_ref();
                while let Some(p) = c {
                    d += 1;
                    c = r.accounts[p].parent.as_ref();
                }
                d
            })
            .max()
            .unwrap();
        assert!(deepest >= 20, "deepest {deepest}");
        // Nobody was created before their parent.
        for a in r.accounts.values() {
            if let Some(p) = &a.parent {
                assert!(
                    a.created >= r.accounts[p].created,
                    "{} before its parent",
                    a.id
                );
            }
        }
    }
}
