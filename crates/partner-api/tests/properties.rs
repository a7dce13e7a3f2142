//! Property tests: encoders and decoders agree, and no input makes a decoder panic.

use partner_api::model::{
    AccountSettings, ChildList, ChildSummary, Contact, ContactTypes, Token, TokenList, WhoAmI,
};
use partner_api::{xml, AccountId, Role};
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
        let list = ChildList { children };
        prop_assert_eq!(ChildList::from_xml(&list.to_xml_v1()).unwrap(), list.clone());
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
        (text(), opt_text(), opt_text(), any::<bool>(), role(), opt_text(), opt_text(), opt_text(), opt_text()),
        0..5,
    )) {
        let list = TokenList { tokens: tokens.into_iter().map(|(name, description, created, primary, role, eacl, lifetime, expires, last_use)| Token {
            name, description, created, primary, role, eacl, lifetime, expires, last_use,
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
