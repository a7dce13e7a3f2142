//! The partner's own Enterprise account: `/ping` (the credential check), `/partner/password`,
//! `/partner/quota`, `/partner/features` and `/partner/settings`.

use super::{decode_json, json_get, json_post};
use crate::call::{decode_with, expect_success, Call};
use crate::error::ApiError;
use crate::fields::{FieldProblem, Problems, Secret};
use crate::validate;
use crate::wire::request::{Family, Request, Response};
use crate::wire::DecodeError;
use serde::{Deserialize, Deserializer, Serialize};

/// Enterprise API `GET /ping`: a credential check answered with the JSON string "pong".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ping;

impl Call for Ping {
    type Output = ();
    fn request(&self) -> Request {
        Request::get(Family::Enterprise, "/ping".into()).header("Accept", "application/json")
    }
    fn decode(&self, r: &Response) -> Result<(), ApiError> {
        decode_with(r, |body| match serde_json::from_str::<String>(body) {
            Ok(s) if s == "pong" => Ok(()),
            _ => Err(DecodeError {
                expected: "the JSON string \"pong\"",
                detail: format!("got {:?}", body.chars().take(40).collect::<String>()),
            }),
        })
    }
}

/// `GET /partner/info`: who the Enterprise API knows the partner as (the vendor's own
/// client reads it: netkes `accounts_api.py` `info`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GetInfo;

impl Call for GetInfo {
    type Output = PartnerInfo;
    fn request(&self) -> Request {
        json_get("/partner/info")
    }
    fn decode(&self, r: &Response) -> Result<PartnerInfo, ApiError> {
        decode_json(r, "the partner's info as JSON")
    }
}

/// The partner as the Enterprise API names it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PartnerInfo {
    #[serde(default)]
    pub company_name: String,
    #[serde(default)]
    pub brand_identifier: String,
}

/// What must hold before a [`SetPassword`] is sent: the current password typed as the one
/// `held` for the session, the new one long enough ([`validate::password`]) and different,
/// and typed the same twice.
pub fn password_change_problems(
    held: &str,
    current: &str,
    new: &str,
    again: &str,
) -> Vec<FieldProblem> {
    let mut p = Problems::default();
    if current != held {
        p.check::<()>("current", Err("This is not your current password.".into()));
    }
    if p.check("new", validate::password(new)).is_some() && new == current {
        p.check::<()>(
            "new",
            Err("The new password is the same as the current one.".into()),
        );
    }
    if again != new {
        p.check::<()>("again", Err("The two new passwords differ.".into()));
    }
    p.0
}

/// `POST /partner/password`: the body is the new password as a JSON string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetPassword(pub Secret);

impl Call for SetPassword {
    type Output = ();
    fn request(&self) -> Request {
        json_post(
            "/partner/password",
            serde_json::to_string(self.0.expose()).unwrap_or_default(),
        )
    }
    fn decode(&self, r: &Response) -> Result<(), ApiError> {
        expect_success(r)
    }
}

/// `GET /partner/quota`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GetQuota;

impl Call for GetQuota {
    type Output = Quota;
    fn request(&self) -> Request {
        json_get("/partner/quota")
    }
    fn decode(&self, r: &Response) -> Result<Quota, ApiError> {
        decode_json(r, "the quota as JSON")
    }
}

/// `GET /partner/features`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GetFeatures;

impl Call for GetFeatures {
    type Output = Features;
    fn request(&self) -> Request {
        json_get("/partner/features")
    }
    fn decode(&self, r: &Response) -> Result<Features, ApiError> {
        decode_json(r, "the features as JSON")
    }
}

/// `GET /partner/settings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GetSettings;

impl Call for GetSettings {
    type Output = Settings;
    fn request(&self) -> Request {
        json_get("/partner/settings")
    }
    fn decode(&self, r: &Response) -> Result<Settings, ApiError> {
        decode_json(r, "the enterprise settings as JSON")
    }
}

/// `POST /partner/settings` with only the changed settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateSettings(pub SettingsUpdate);

impl Call for UpdateSettings {
    type Output = ();
    fn request(&self) -> Request {
        json_post(
            "/partner/settings",
            serde_json::to_string(&self.0).unwrap_or_default(),
        )
    }
    fn decode(&self, r: &Response) -> Result<(), ApiError> {
        expect_success(r)
    }
}

fn lenient_u64<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::Number(n) => n
            .as_u64()
            .or_else(|| n.as_f64().map(|f| f.max(0.0) as u64))
            .unwrap_or(0),
        _ => 0,
    })
}

fn lenient_opt_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::Number(n) => n.as_u64(),
        _ => None,
    })
}

/// `GET /partner/quota`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Quota {
    /// `None` (null) or 0 mean unlimited.
    #[serde(default, deserialize_with = "lenient_opt_u64")]
    pub bytes_available: Option<u64>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub bytes_allocated: u64,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub bytes_used: u64,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub share_count: u64,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub device_count: u64,
}

impl Quota {
    /// The storage the region says is available to divide, when it gives a figure. A 0 or
    /// a missing figure is not documented as "unlimited" (the vendor's own console shows
    /// what is allocated then), so it is no figure at all.
    pub fn available(&self) -> Option<u64> {
        self.bytes_available.filter(|b| *b > 0)
    }

    /// The partner's pool in one sentence: what is allocated to users, of what, and what is
    /// left, or that the region gives no figure for what is available.
    pub fn pool_text(&self) -> String {
        let allocated = crate::units::bytes(self.bytes_allocated);
        match self.available() {
            Some(a) => format!(
                "Your pool: {allocated} allocated to users of {}; {} left to give.",
                crate::units::bytes(a),
                crate::units::bytes(a.saturating_sub(self.bytes_allocated))
            ),
            None => format!(
                "Your pool: {allocated} allocated to users. The region gives no figure for what is available."
            ),
        }
    }
}

/// `GET /partner/features`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Features {
    #[serde(default)]
    pub netkes: bool,
    #[serde(default)]
    pub ldap: bool,
    #[serde(default)]
    pub group_permissions: bool,
    #[serde(default)]
    pub signup_restrictions: bool,
    #[serde(default)]
    pub email_as_username: bool,
}

/// `GET /partner/settings`: all seven settings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Settings {
    #[serde(default)]
    pub omva_url: Option<String>,
    #[serde(default)]
    pub support_email: Option<String>,
    /// Minutes.
    #[serde(default)]
    pub share_link_ttl: Option<i64>,
    /// Days; 0 or null disables.
    #[serde(default)]
    pub autopurge_interval: Option<i64>,
    /// Seconds.
    #[serde(default)]
    pub purgehold_duration: Option<i64>,
    /// Null disables domain checking.
    #[serde(default)]
    pub ad_domain: Option<String>,
    #[serde(default)]
    pub signup_network_restriction: Vec<String>,
    /// Days after which historical versions are purged (the vendor's own console sends it,
    /// netkes `views/settings`); absent when the region does not have it.
    #[serde(default)]
    pub versionpurge_interval: Option<i64>,
    /// Whether users may share; absent when the region does not say.
    #[serde(default)]
    pub sharing_enabled: Option<bool>,
}

/// Absent (leave as is), `null` (clear), or a value.
fn double_option<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// `POST /partner/settings`: only the settings that change. `Some(None)` sends `null`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SettingsUpdate {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "double_option"
    )]
    pub omva_url: Option<Option<String>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "double_option"
    )]
    pub support_email: Option<Option<String>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "double_option"
    )]
    pub share_link_ttl: Option<Option<i64>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "double_option"
    )]
    pub autopurge_interval: Option<Option<i64>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "double_option"
    )]
    pub purgehold_duration: Option<Option<i64>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "double_option"
    )]
    pub ad_domain: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signup_network_restriction: Option<Vec<String>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "double_option"
    )]
    pub versionpurge_interval: Option<Option<i64>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "double_option"
    )]
    pub sharing_enabled: Option<Option<bool>>,
}

impl SettingsUpdate {
    /// The update that turns `old` into `new`: only what differs.
    pub fn between(old: &Settings, new: &Settings) -> SettingsUpdate {
        fn diff<T: PartialEq + Clone>(a: &Option<T>, b: &Option<T>) -> Option<Option<T>> {
            (a != b).then(|| b.clone())
        }
        SettingsUpdate {
            omva_url: diff(&old.omva_url, &new.omva_url),
            support_email: diff(&old.support_email, &new.support_email),
            share_link_ttl: diff(&old.share_link_ttl, &new.share_link_ttl),
            autopurge_interval: diff(&old.autopurge_interval, &new.autopurge_interval),
            purgehold_duration: diff(&old.purgehold_duration, &new.purgehold_duration),
            ad_domain: diff(&old.ad_domain, &new.ad_domain),
            signup_network_restriction: (old.signup_network_restriction
                != new.signup_network_restriction)
                .then(|| new.signup_network_restriction.clone()),
            versionpurge_interval: diff(&old.versionpurge_interval, &new.versionpurge_interval),
            sharing_enabled: diff(&old.sharing_enabled, &new.sharing_enabled),
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == SettingsUpdate::default()
    }

    /// Applies the update to `settings`.
    pub fn apply(&self, settings: &mut Settings) {
        fn set<T: Clone>(target: &mut Option<T>, v: &Option<Option<T>>) {
            if let Some(v) = v {
                *target = v.clone();
            }
        }
        set(&mut settings.omva_url, &self.omva_url);
        set(&mut settings.support_email, &self.support_email);
        set(&mut settings.share_link_ttl, &self.share_link_ttl);
        set(&mut settings.autopurge_interval, &self.autopurge_interval);
        set(&mut settings.purgehold_duration, &self.purgehold_duration);
        set(&mut settings.ad_domain, &self.ad_domain);
        if let Some(v) = &self.signup_network_restriction {
            settings.signup_network_restriction = v.clone();
        }
        set(
            &mut settings.versionpurge_interval,
            &self.versionpurge_interval,
        );
        set(&mut settings.sharing_enabled, &self.sharing_enabled);
    }

    /// Every problem, each on its field.
    pub fn validate(&self) -> Vec<FieldProblem> {
        let mut p = Problems::default();
        if let Some(Some(u)) = &self.omva_url {
            p.check("omva_url", validate::url(u));
        }
        if let Some(Some(e)) = &self.support_email {
            p.check("support_email", validate::email(e));
        }
        for (field, value, what) in [
            (
                "share_link_ttl",
                &self.share_link_ttl,
                "The share link lifetime",
            ),
            (
                "autopurge_interval",
                &self.autopurge_interval,
                "The auto-purge interval",
            ),
            (
                "purgehold_duration",
                &self.purgehold_duration,
                "The purge hold",
            ),
            (
                "versionpurge_interval",
                &self.versionpurge_interval,
                "The version purge interval",
            ),
        ] {
            if let Some(Some(v)) = value {
                p.check(field, validate::non_negative(*v, what));
            }
        }
        if let Some(Some(d)) = &self.ad_domain {
            let ok = !d.trim().is_empty()
                && d.split('.')
                    .all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'));
            if !ok {
                p.check::<()>(
                    "ad_domain",
                    Err(format!(
                        "“{d}” is not a domain name: use the form corp.example.com."
                    )),
                );
            }
        }
        if let Some(blocks) = &self.signup_network_restriction {
            for b in blocks {
                p.check("signup_network_restriction", validate::cidr(b));
            }
        }
        p.0
    }
}

/// [`Settings`] as a form holds them: text for each setting (empty means "off" for the
/// nullable ones) and explicit switches for the settings `null` turns off.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SettingsDraft {
    pub omva_url: String,
    pub support_email: String,
    pub share_link_ttl: String,
    pub autopurge_interval: String,
    pub purgehold_duration: String,
    pub ad_domain: String,
    pub networks: Vec<String>,
    /// The explicit switches for the settings that `null` turns off.
    pub autopurge_on: bool,
    pub ad_domain_on: bool,
    /// Empty when the region has no such setting, or none set.
    #[serde(default)]
    pub versionpurge_interval: String,
    /// `None` when the region does not say: then the form does not offer it.
    #[serde(default)]
    pub sharing_enabled: Option<bool>,
}

impl SettingsDraft {
    pub fn from(s: &Settings) -> Self {
        let n = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        SettingsDraft {
            omva_url: s.omva_url.clone().unwrap_or_default(),
            support_email: s.support_email.clone().unwrap_or_default(),
            share_link_ttl: n(s.share_link_ttl),
            autopurge_interval: n(s.autopurge_interval.filter(|v| *v != 0)),
            purgehold_duration: n(s.purgehold_duration),
            ad_domain: s.ad_domain.clone().unwrap_or_default(),
            versionpurge_interval: n(s.versionpurge_interval),
            sharing_enabled: s.sharing_enabled,
            networks: s.signup_network_restriction.clone(),
            autopurge_on: s.autopurge_interval.is_some_and(|v| v != 0),
            ad_domain_on: s.ad_domain.is_some(),
        }
    }

    /// The settings this draft asks for, or the fields whose numbers do not read.
    pub fn to_settings(&self) -> Result<Settings, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let mut num = |field: &'static str, text: &str, what: &str| -> Option<i64> {
            let t = text.trim();
            if t.is_empty() {
                return None;
            }
            match validate::whole_number(t, what) {
                Ok(v) => Some(v),
                Err(m) => {
                    problems.push(FieldProblem { field, message: m });
                    None
                }
            }
        };
        let s = Settings {
            omva_url: Some(self.omva_url.trim().to_owned()).filter(|v| !v.is_empty()),
            support_email: Some(self.support_email.trim().to_owned()).filter(|v| !v.is_empty()),
            share_link_ttl: num(
                "share_link_ttl",
                &self.share_link_ttl,
                "The share link lifetime",
            ),
            autopurge_interval: if self.autopurge_on {
                num(
                    "autopurge_interval",
                    &self.autopurge_interval,
                    "The auto-purge interval",
                )
            } else {
                None
            },
            purgehold_duration: num(
                "purgehold_duration",
                &self.purgehold_duration,
                "The purge hold",
            ),
            ad_domain: Some(self.ad_domain.trim().to_owned())
                .filter(|v| self.ad_domain_on && !v.is_empty()),
            signup_network_restriction: self
                .networks
                .iter()
                .map(|n| n.trim().to_owned())
                .filter(|n| !n.is_empty())
                .collect(),
            versionpurge_interval: num(
                "versionpurge_interval",
                &self.versionpurge_interval,
                "The version purge interval",
            ),
            sharing_enabled: self.sharing_enabled,
        };
        if self.autopurge_on && s.autopurge_interval.is_none() && problems.is_empty() {
            problems.push(FieldProblem {
                field: "autopurge_interval",
                message: "Enter the days, or switch auto-purge off.".into(),
            });
        }
        if self.ad_domain_on && s.ad_domain.is_none() {
            problems.push(FieldProblem {
                field: "ad_domain",
                message: "Enter the domain, or switch domain checking off.".into(),
            });
        }
        if problems.is_empty() {
            Ok(s)
        } else {
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pool_says_what_is_left_only_where_the_region_gives_a_figure() {
        let q = Quota {
            bytes_available: Some(5_000_000_000_000),
            bytes_allocated: 4_500_000_000_000,
            ..Quota::default()
        };
        assert_eq!(
            q.pool_text(),
            "Your pool: 4.5 TB allocated to users of 5.0 TB; 500.0 GB left to give."
        );
        let none = Quota {
            bytes_available: Some(0),
            ..q
        };
        assert!(none.pool_text().contains("gives no figure"));
    }

    #[test]
    fn settings_drafts_read_numbers_and_offs() {
        let d = SettingsDraft {
            share_link_ttl: "60".into(),
            autopurge_on: true,
            autopurge_interval: "".into(),
            purgehold_duration: "x".into(),
            ..SettingsDraft::default()
        };
        let e = d.to_settings().unwrap_err();
        assert_eq!(e[0].field, "purgehold_duration");
        let ok = SettingsDraft {
            share_link_ttl: " 60 ".into(),
            networks: vec![" ".into(), "10.0.0.0/8".into()],
            ..SettingsDraft::default()
        }
        .to_settings()
        .unwrap();
        assert_eq!(ok.share_link_ttl, Some(60));
        assert_eq!(ok.autopurge_interval, None);
        assert_eq!(ok.signup_network_restriction, ["10.0.0.0/8"]);
        let on_but_empty = SettingsDraft {
            autopurge_on: true,
            ..SettingsDraft::default()
        }
        .to_settings()
        .unwrap_err();
        assert_eq!(on_but_empty[0].field, "autopurge_interval");
        let off = SettingsDraft {
            autopurge_interval: "30".into(),
            ad_domain: "corp.example".into(),
            ..SettingsDraft::default()
        }
        .to_settings()
        .unwrap();
        assert_eq!((off.autopurge_interval, off.ad_domain), (None, None));
    }

    #[test]
    fn settings_the_region_has_beyond_the_seven_are_kept_and_sent_only_when_changed() {
        let old: Settings = serde_json::from_str(
            r#"{"share_link_ttl": 60, "versionpurge_interval": 30, "sharing_enabled": true, "something_new": 1}"#,
        )
        .unwrap();
        assert_eq!(
            (old.versionpurge_interval, old.sharing_enabled),
            (Some(30), Some(true))
        );
        let draft = SettingsDraft::from(&old);
        // Unchanged: nothing to send, so nothing the portal does not know is touched.
        assert!(SettingsUpdate::between(&old, &draft.to_settings().unwrap()).is_empty());
        let changed = SettingsDraft {
            versionpurge_interval: "90".into(),
            sharing_enabled: Some(false),
            ..draft.clone()
        };
        let update = SettingsUpdate::between(&old, &changed.to_settings().unwrap());
        assert_eq!(
            serde_json::to_value(&update).unwrap(),
            serde_json::json!({"versionpurge_interval": 90, "sharing_enabled": false})
        );
        // A region without them: the draft does not invent them.
        let plain: Settings = serde_json::from_str(r#"{"share_link_ttl": 60}"#).unwrap();
        let d = SettingsDraft::from(&plain);
        assert_eq!(d.sharing_enabled, None);
        assert!(SettingsUpdate::between(&plain, &d.to_settings().unwrap()).is_empty());
        let bad = SettingsDraft {
            versionpurge_interval: "soon".into(),
            ..d
        };
        assert_eq!(
            bad.to_settings().unwrap_err()[0].field,
            "versionpurge_interval"
        );
    }

    #[test]
    fn partner_info_is_read_tolerantly() {
        let r = Response {
            status: 200,
            headers: vec![],
            body: r#"{"company_name": "Fjordline", "brand_identifier": "fjordline", "x": 1}"#
                .into(),
        };
        let info = GetInfo.decode(&r).unwrap();
        assert_eq!(
            (info.company_name.as_str(), info.brand_identifier.as_str()),
            ("Fjordline", "fjordline")
        );
        assert_eq!(GetInfo.request().path, "/partner/info");
    }

    #[test]
    fn a_password_change_needs_the_current_one_and_the_new_one_twice() {
        let fields = |p: Vec<FieldProblem>| p.into_iter().map(|p| p.field).collect::<Vec<_>>();
        assert!(
            password_change_problems("old-secret", "old-secret", "new-secret", "new-secret")
                .is_empty()
        );
        assert_eq!(
            fields(password_change_problems(
                "old-secret",
                "wrong",
                "short",
                "other"
            )),
            ["current", "new", "again"]
        );
        assert_eq!(
            fields(password_change_problems(
                "old-secret",
                "old-secret",
                "old-secret",
                "old-secret"
            )),
            ["new"]
        );
    }

    #[test]
    fn settings_updates_send_only_changes_and_nulls() {
        let old = Settings {
            share_link_ttl: Some(60),
            ad_domain: Some("corp.example".into()),
            ..Settings::default()
        };
        let mut new = old.clone();
        new.share_link_ttl = Some(120);
        new.ad_domain = None;
        let u = SettingsUpdate::between(&old, &new);
        assert_eq!(
            serde_json::to_string(&u).unwrap(),
            r#"{"share_link_ttl":120,"ad_domain":null}"#
        );
        let back: SettingsUpdate =
            serde_json::from_str(r#"{"share_link_ttl":120,"ad_domain":null}"#).unwrap();
        assert_eq!(back, u);
        let mut applied = old.clone();
        back.apply(&mut applied);
        assert_eq!(applied, new);
        assert!(SettingsUpdate::between(&old, &old).is_empty());
    }

    #[test]
    fn settings_validation_names_fields() {
        let u = SettingsUpdate {
            omva_url: Some(Some("omva".into())),
            support_email: Some(Some("x".into())),
            share_link_ttl: Some(Some(-1)),
            ad_domain: Some(Some("a b".into())),
            signup_network_restriction: Some(vec!["10.0.0.0/8".into(), "10.1.0.1/16".into()]),
            ..SettingsUpdate::default()
        };
        let fields: Vec<_> = u.validate().iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            vec![
                "omva_url",
                "support_email",
                "share_link_ttl",
                "ad_domain",
                "signup_network_restriction"
            ]
        );
    }
}
