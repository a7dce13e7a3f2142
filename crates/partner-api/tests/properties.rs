//! Property tests: encoders and decoders agree, and no input makes a decoder panic.

use partner_api::accounts::children::{ChildList, ChildSummary};
use partner_api::accounts::contacts::{Contact, ContactTypes};
use partner_api::accounts::tokens::{Token, TokenList};
use partner_api::accounts::users::{AccountSettings, WhoAmI};
use partner_api::wire::xml;
use partner_api::{AccountId, Role};
use proptest::prelude::*;

fn account_id() -> impl Strategy<Value = AccountId> {
    "[a-z0-9]{6}-[a-z0-9]{6}-[a-z0-9]{6}".prop_map(|s| AccountId::parse(&s).unwrap())
}

/// Any text a person might type, including markup and entities; trimmed and non-empty
/// because the decoders treat surrounding white space and empty elements as absent.
fn text() -> impl Strategy<Value = String> {
    "[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f]{1,24}"
        .prop_map(|s| s.trim().to_owned())
        .prop_filter("non-empty", |s| {
            !s.is_empty() && !s.contains('\u{FFFE}') && !s.contains('\u{FFFF}')
        })
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(text())
}

fn child() -> impl Strategy<Value = ChildSummary> {
    (
        account_id(),
        opt_text(),
        proptest::option::of(account_id()),
        opt_text(),
        opt_text(),
        opt_text(),
    )
        .prop_map(
            |(id, created, parent_id, email, full_name, company_name)| ChildSummary {
                id,
                created,
                parent_id,
                email,
                full_name,
                company_name,
            },
        )
}

fn role() -> impl Strategy<Value = Role> {
    prop_oneof![
        proptest::sample::select(Role::known().collect::<Vec<_>>()),
        "[A-Za-z ]{1,12}"
            .prop_map(|s| Role::parse(&s))
            .prop_filter("trimmed", |r| r.as_str() == r.as_str().trim()
                && !r.as_str().is_empty()),
    ]
}

proptest! {
    #[test]
    fn whoami_round_trips(id in account_id()) {
        let w = WhoAmI { id };
        prop_assert_eq!(WhoAmI::from_xml(&w.to_xml()).unwrap(), w);
    }

    #[test]
    fn settings_round_trip(
        id in proptest::option::of(account_id()),
        enabled: bool,
        created in opt_text(),
        product in opt_text(),
        parent in proptest::option::of(account_id()),
        subscribed: Option<bool>,
        external_id in opt_text(),
        deletion in opt_text(),
    ) {
        let s = AccountSettings { id, enabled, created, product, parent, subscribed, external_id, deletion };
        prop_assert_eq!(AccountSettings::from_xml(&s.to_xml()).unwrap(), s);
    }

    #[test]
    fn child_lists_round_trip(children in proptest::collection::vec(child(), 0..8)) {
        let list = ChildList { children, unreadable: 0 };
        prop_assert_eq!(ChildList::from_xml(&list.to_xml_v1()).unwrap(), list.clone());
        prop_assert_eq!(ChildList::from_xml(&list.to_xml_v3()).unwrap(), list.clone());
        let ids: Vec<_> = ChildList::from_xml(&list.to_xml_v0()).unwrap().children.into_iter().map(|c| c.id).collect();
        prop_assert_eq!(ids, list.children.iter().map(|c| c.id.clone()).collect::<Vec<_>>());
    }

    #[test]
    fn contacts_round_trip(
        kind in text(), email in opt_text(), company_name in opt_text(), full_name in opt_text(),
        phone in opt_text(), vat_number in opt_text(), street1 in opt_text(), street2 in opt_text(),
        city in opt_text(), zip in opt_text(), state in opt_text(), country in opt_text(), language in opt_text(),
        types in proptest::collection::vec(text(), 0..5),
    ) {
        let c = Contact { kind, email, company_name, full_name, phone, vat_number, street1, street2, city, zip, state, country, language };
        prop_assert_eq!(Contact::from_xml(&c.to_xml()).unwrap(), c);
        let t = ContactTypes { types };
        prop_assert_eq!(ContactTypes::from_xml(&t.to_xml()).unwrap(), t);
    }

    #[test]
    fn tokens_round_trip(tokens in proptest::collection::vec(
        ((text(), opt_text(), opt_text(), any::<bool>(), role()), (opt_text(), opt_text(), opt_text(), opt_text(), opt_text())),
        0..5,
    )) {
        let list = TokenList { tokens: tokens.into_iter().map(|((name, description, created, primary, role), (eacl, lifetime, expires, last_use, primary_aname))| Token {
            name, description, created, primary, role, eacl, lifetime, expires, last_use, primary_aname,
        }).collect() };
        prop_assert_eq!(TokenList::from_xml(&list.to_xml()).unwrap(), list);
    }

    #[test]
    fn no_text_makes_a_decoder_panic(s in ".{0,300}") {
        let _ = xml::parse(&s);
        let _ = WhoAmI::from_xml(&s);
        let _ = AccountSettings::from_xml(&s);
        let _ = ChildList::from_xml(&s);
        let _ = Contact::from_xml(&s);
        let _ = TokenList::from_xml(&s);
        let _ = partner_api::config::PortalConfig::from_json(&s);
    }

    #[test]
    fn no_markup_soup_makes_a_decoder_panic(parts in proptest::collection::vec(
        prop_oneof![
            Just("<users>".to_string()), Just("</users>".to_string()), Just("<user>".to_string()),
            Just("</user>".to_string()), Just("<id>".to_string()), Just("</id>".to_string()),
            Just("<![CDATA[".to_string()), Just("]]>".to_string()), Just("<!--".to_string()),
            Just("-->".to_string()), Just("&amp;".to_string()), Just("&#x".to_string()), Just("<?x".to_string()),
            Just("<a b='".to_string()), Just("/>".to_string()), Just("<!DOCTYPE [".to_string()),
            "[a-z0-9-]{0,20}",
        ],
        0..40,
    )) {
        let s: String = parts.concat();
        let _ = ChildList::from_xml(&s);
        let _ = TokenList::from_xml(&s);
    }
}

mod writes {
    use super::*;
    use partner_api::accounts::products::{Portfolio, Product};
    use partner_api::accounts::tokens::{NewCredentials, TokenCreate, TokenSecret};
    use partner_api::accounts::users::{UserCreate, UserUpdate};
    use partner_api::enterprise::account::SettingsUpdate;
    use partner_api::enterprise::billing::{Billing, Card};
    use partner_api::fields::Secret;

    fn secret() -> impl Strategy<Value = Secret> {
        text().prop_map(Secret)
    }

    proptest! {
        #[test]
        fn user_create_round_trips(
            login in text(), password in proptest::option::of(secret()), external_id in opt_text(),
            acl in proptest::option::of(role()), product in opt_text(), full_name in opt_text(),
            email in opt_text(), company_name in opt_text(), zip_code in opt_text(), phone in opt_text(),
            country in opt_text(), language in opt_text(),
            attributes in proptest::collection::vec((text(), text()), 0..3),
        ) {
            let c = UserCreate { login, password, external_id, acl, product, full_name, email, company_name, zip_code, phone, country, language, attributes };
            prop_assert_eq!(UserCreate::from_xml(&c.to_xml()).unwrap(), c);
        }

        #[test]
        fn user_update_round_trips(
            enabled: Option<bool>, subscribed: Option<bool>,
            product in proptest::option::of(prop_oneof![Just(String::new()), text()]),
            external_id in opt_text(), grace_expires in opt_text(), parent in proptest::option::of(account_id()),
        ) {
            let u = UserUpdate { enabled, subscribed, product, external_id, grace_expires, parent };
            prop_assert_eq!(UserUpdate::from_xml(&u.to_xml()).unwrap(), u);
        }

        #[test]
        fn token_create_round_trips(
            role in role(), description in text(), chosen in proptest::option::of((text(), secret())),
            lifetime in opt_text(), expires in opt_text(), primary: bool, single_use: bool,
            responsibilities in proptest::collection::vec(text(), 0..3),
        ) {
            let secret = match chosen {
                Some((name, password)) => TokenSecret::Chosen { name, password },
                None => TokenSecret::Generated,
            };
            let t = TokenCreate { role, description, secret, lifetime, expires, primary, single_use, responsibilities };
            prop_assert_eq!(TokenCreate::from_xml(&t.to_xml()).unwrap(), t);
        }

        #[test]
        fn credentials_and_portfolios_round_trip(
            name in text(), password in ".{1,30}",
            products in proptest::collection::vec((text(), text()), 0..4),
        ) {
            let c = NewCredentials { name, password: Secret(password.replace(['\u{FFFE}', '\u{FFFF}'], "").chars().filter(|c| (*c as u32) >= 0x20 || matches!(c, '\t' | '\n')).collect()) };
            prop_assume!(!c.password.expose().is_empty());
            prop_assert_eq!(NewCredentials::from_xml(&c.to_xml()).unwrap(), c);
            let p = Portfolio { products: products.into_iter().map(|(id, name)| Product { id, name }).collect() };
            prop_assert_eq!(Portfolio::from_xml(&p.to_xml()).unwrap(), p);
        }

        #[test]
        fn billing_round_trips(
            name in ".{0,20}", address in proptest::collection::vec(".{0,20}", 0..3), city in ".{0,10}",
            state in ".{0,10}", postal_code in ".{0,10}", country in ".{0,3}",
            card in proptest::option::of(("[0-9 ]{0,19}", "[0-9]{0,4}", -1i64..14, 1990i64..2100)),
        ) {
            let b = Billing {
                name, address, city, state, postal_code, country,
                card: card.map(|(n, c, m, y)| Card { card_number: Secret(n), security_code: Secret(c), expiration_month: m, expiration_year: y }),
            };
            let json = serde_json::to_string(&b).unwrap();
            prop_assert_eq!(serde_json::from_str::<Billing>(&json).unwrap(), b);
        }

        #[test]
        fn settings_updates_round_trip(
            omva_url in proptest::option::of(opt_text()), support_email in proptest::option::of(opt_text()),
            share_link_ttl in proptest::option::of(proptest::option::of(any::<i64>())),
            autopurge_interval in proptest::option::of(proptest::option::of(any::<i64>())),
            purgehold_duration in proptest::option::of(proptest::option::of(any::<i64>())),
            ad_domain in proptest::option::of(opt_text()),
            signup_network_restriction in proptest::option::of(proptest::collection::vec(text(), 0..3)),
            versionpurge_interval in proptest::option::of(proptest::option::of(any::<i64>())),
            sharing_enabled in proptest::option::of(proptest::option::of(any::<bool>())),
        ) {
            let u = SettingsUpdate { omva_url, support_email, share_link_ttl, autopurge_interval, purgehold_duration, ad_domain, signup_network_restriction, versionpurge_interval, sharing_enabled };
            let json = serde_json::to_string(&u).unwrap();
            prop_assert_eq!(serde_json::from_str::<SettingsUpdate>(&json).unwrap(), u);
        }

        #[test]
        fn no_text_makes_a_write_decoder_or_validator_panic(s in ".{0,200}", n: i64, m: i64) {
            let _ = UserCreate::from_xml(&s).map(|c| c.validate());
            let _ = UserUpdate::from_xml(&s);
            let _ = TokenCreate::from_xml(&s).map(|t| t.validate());
            let _ = NewCredentials::from_xml(&s);
            let _ = Portfolio::from_xml(&s);
            let _ = serde_json::from_str::<Billing>(&s).map(|b| b.validate((2026, 11)));
            let _ = serde_json::from_str::<SettingsUpdate>(&s).map(|u| u.validate());
            let _ = partner_api::validate::cidr(&s);
            let _ = partner_api::validate::card_number(&s);
            let _ = partner_api::validate::card_display(&s);
            let _ = partner_api::validate::email(&s);
            let _ = partner_api::validate::language_tag(&s);
            let _ = partner_api::validate::url(&s);
            let _ = partner_api::validate::expiry(n, m, (2026, 11));
        }
    }
}

proptest! {
    /// The streaming children reader and the generic tree agree on every input, well-formed
    /// or not.
    #[test]
    fn streaming_children_reader_agrees_with_the_tree(children in proptest::collection::vec(child(), 0..6), noise in ".{0,40}", cut in 0usize..400) {
        let list = ChildList { children, unreadable: 0 };
        for doc in [list.to_xml_v1(), list.to_xml_v0(), list.to_xml_v3()] {
            prop_assert_eq!(ChildList::from_xml(&doc).unwrap(), ChildList::from_xml_tree(&doc).unwrap());
            let mangled = format!("{}{}", doc.chars().take(cut).collect::<String>(), noise);
            prop_assert_eq!(ChildList::from_xml(&mangled).is_ok(), ChildList::from_xml_tree(&mangled).is_ok());
            if let (Ok(a), Ok(b)) = (ChildList::from_xml(&mangled), ChildList::from_xml_tree(&mangled)) {
                prop_assert_eq!(a, b);
            }
        }
        let tolerant = "<users><user><extra><id>zzzzzz-zzzzzz-zzzzzz</id></extra><id>aaaaaa-bbbbbb-cccccc</id><companyname>Old</companyname><company_name>New</company_name></user><other/></users>";
        prop_assert_eq!(ChildList::from_xml(tolerant).unwrap(), ChildList::from_xml_tree(tolerant).unwrap());
        // v3: a contact's fields count as the row's, in document order, the first contact only.
        let nested = "<users><user><contact><email>c@b.example</email><id>zzzzzz-zzzzzz-zzzzzz</id></contact><id>aaaaaa-bbbbbb-cccccc</id><email>row@b.example</email><contact><fullname>Second</fullname></contact><full_name>a<b>b</b>c</full_name></user><user><contact><id>bad</id></contact></user></users>";
        prop_assert_eq!(ChildList::from_xml(nested).unwrap(), ChildList::from_xml_tree(nested).unwrap());
    }
}
