//! `/users/`: the people who back up under the partner's brand, their devices and shares.
//!
//! As documented (SpiderOak's "User Accounts") and as the vendor's console and client use it
//! (netkes `accounts_api.py`, `blue_mgnt/views/users.py`): a user is addressed by email or
//! username in `/users/{user}`; `POST /users/` answers 200 `{username, temp_password}`, 402
//! when the pool lacks the storage, 409 naming `username`, `email`, `plan_id` or
//! `group_id`; times are seconds since 1970. What the documents leave open (the spelling of
//! `search_by` and `order_by`, what a count counts) is the sandbox's choice, written in
//! `docs/partner-api.md`.

use super::shares::Share;
use super::{decode_json, json_delete, json_get, json_post, lenient_i64, lenient_u64};
use crate::call::{expect_success, Call};
use crate::error::ApiError;
use crate::fields::{FieldProblem, Problems, Secret};
use crate::validate;
use crate::wire::request::{encode_component, Request, Response};
use serde::{Deserialize, Serialize};

/// The longest name and username the vendor's console takes.
pub const MAX_NAME: usize = 45;

/// One user, as listed and as read one at a time.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct User {
    #[serde(default, deserialize_with = "lenient_i64")]
    pub avatar_id: Option<i64>,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, deserialize_with = "lenient_i64")]
    pub group_id: Option<i64>,
    #[serde(default, deserialize_with = "lenient_i64")]
    pub plan_id: Option<i64>,
    #[serde(default = "yes")]
    pub enabled: bool,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub bytes_stored: u64,
    /// The user's quota: its plan's storage and its bonus (what the console shows as
    /// "Storage"; [`super::plans::UNLIMITED_BYTES`] and above is unlimited).
    #[serde(default, deserialize_with = "lenient_u64")]
    pub storage_bytes: u64,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub bonus_bytes: u64,
    #[serde(default, deserialize_with = "lenient_i64")]
    pub creation_time: Option<i64>,
    /// `None` (or 0): never signed in.
    #[serde(default, deserialize_with = "lenient_i64")]
    pub last_login: Option<i64>,
}

fn yes() -> bool {
    true
}

impl User {
    /// How the region addresses this user in `/users/{user}`: the email (as the vendor's
    /// console does), else the username.
    pub fn key(&self) -> &str {
        if self.email.is_empty() {
            &self.username
        } else {
            &self.email
        }
    }

    /// Stored against quota, in thousandths (0..=1000, capped), for a bar; `None` when the
    /// quota is unlimited or unknown.
    pub fn used_permille(&self) -> Option<u32> {
        if self.storage_bytes == 0 || self.storage_bytes >= super::plans::UNLIMITED_BYTES {
            return None;
        }
        let p = u128::from(self.bytes_stored) * 1000 / u128::from(self.storage_bytes);
        Some(p.min(1000) as u32)
    }
}

/// What `search` is matched against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SearchBy {
    /// Name, email and username (the documented default: `search` alone).
    #[default]
    Any,
    Name,
    Email,
    Username,
}

impl SearchBy {
    pub const ALL: [SearchBy; 4] = [
        SearchBy::Any,
        SearchBy::Name,
        SearchBy::Email,
        SearchBy::Username,
    ];
    /// The value of `search_by`; `None` for [`SearchBy::Any`] (no parameter).
    pub fn param(self) -> Option<&'static str> {
        match self {
            SearchBy::Any => None,
            SearchBy::Name => Some("name"),
            SearchBy::Email => Some("email"),
            SearchBy::Username => Some("username"),
        }
    }
    pub fn from_param(p: &str) -> Option<SearchBy> {
        SearchBy::ALL.into_iter().find(|s| s.param() == Some(p))
    }
}

/// A column the region sorts users by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserOrder {
    Name,
    Email,
    Username,
    BytesStored,
    CreationTime,
    LastLogin,
}

impl UserOrder {
    pub const ALL: [UserOrder; 6] = [
        UserOrder::Name,
        UserOrder::Email,
        UserOrder::Username,
        UserOrder::BytesStored,
        UserOrder::CreationTime,
        UserOrder::LastLogin,
    ];
    pub fn field(self) -> &'static str {
        match self {
            UserOrder::Name => "name",
            UserOrder::Email => "email",
            UserOrder::Username => "username",
            UserOrder::BytesStored => "bytes_stored",
            UserOrder::CreationTime => "creation_time",
            UserOrder::LastLogin => "last_login",
        }
    }
    /// Reads `order_by`: a field, `-` in front for descending.
    pub fn from_param(p: &str) -> Option<(UserOrder, bool)> {
        let (field, descending) = match p.strip_prefix('-') {
            Some(f) => (f, true),
            None => (p, false),
        };
        UserOrder::ALL
            .into_iter()
            .find(|o| o.field() == field)
            .map(|o| (o, descending))
    }
}

/// Which users, in what order, which page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserQuery {
    pub search: Option<String>,
    pub search_by: SearchBy,
    /// The column and whether descending.
    pub order_by: Option<(UserOrder, bool)>,
    pub group_id: Option<i64>,
    pub plan_id: Option<i64>,
    pub enabled: Option<bool>,
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

impl UserQuery {
    /// The query string: `search`, `search_by`, the field filters (`group_id=`, `plan_id=`,
    /// `enabled=1|0`), `order_by` (`-` for descending), and `limit`/`offset` when paged.
    fn params(&self, paged: bool) -> Vec<(String, String)> {
        let mut q: Vec<(String, String)> = Vec::new();
        if let Some(s) = self
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            q.push(("search".into(), s.into()));
            if let Some(by) = self.search_by.param() {
                q.push(("search_by".into(), by.into()));
            }
        }
        if let Some(g) = self.group_id {
            q.push(("group_id".into(), g.to_string()));
        }
        if let Some(p) = self.plan_id {
            q.push(("plan_id".into(), p.to_string()));
        }
        if let Some(e) = self.enabled {
            q.push(("enabled".into(), if e { "1" } else { "0" }.into()));
        }
        if !paged {
            return q;
        }
        if let Some((o, desc)) = self.order_by {
            let dash = if desc { "-" } else { "" };
            q.push(("order_by".into(), format!("{dash}{}", o.field())));
        }
        if let Some(l) = self.limit {
            q.push(("limit".into(), l.to_string()));
        }
        if let Some(o) = self.offset.filter(|o| *o > 0) {
            q.push(("offset".into(), o.to_string()));
        }
        q
    }
}

/// `GET /users/?...`: one page of users.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListUsers(pub UserQuery);

impl Call for ListUsers {
    type Output = Vec<User>;
    fn request(&self) -> Request {
        let mut r = json_get("/users/");
        r.query = self.0.params(true);
        r
    }
    fn decode(&self, r: &Response) -> Result<Vec<User>, ApiError> {
        decode_json(r, "a JSON list of users")
    }
}

/// `GET /users/?action=user_count` with the query's search and filters: how many users
/// match, for "1–25 of N".
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CountUsers(pub UserQuery);

#[derive(Deserialize)]
struct UserCount {
    #[serde(deserialize_with = "lenient_u64")]
    user_count: u64,
}

impl Call for CountUsers {
    type Output = u64;
    fn request(&self) -> Request {
        let mut r = json_get("/users/");
        r.query = vec![("action".into(), "user_count".into())];
        r.query.extend(self.0.params(false));
        r
    }
    fn decode(&self, r: &Response) -> Result<u64, ApiError> {
        decode_json::<UserCount>(r, "a JSON user count").map(|c| c.user_count)
    }
}

/// A user to add. `username` may be left out: the region then numbers one.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NewUser {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    pub name: String,
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<i64>,
    /// When different from the group's plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bonus_bytes: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promo: Option<String>,
}

impl NewUser {
    /// The checks the portal makes before sending, and the sandbox makes on receipt.
    pub fn validate(&self) -> Vec<FieldProblem> {
        let mut p = Problems::default();
        p.opt("username", self.username.as_deref(), username);
        p.check("name", name(&self.name));
        p.check("email", validate::email(&self.email));
        if self.group_id.is_none() && self.plan_id.is_none() {
            p.check::<()>("group_id", Err("Choose a group or a plan.".into()));
        }
        p.0
    }
}

/// A username: starts with a letter, 4 to 45 letters, digits and underscores (the vendor's
/// console's rule).
pub fn username(text: &str) -> Result<String, String> {
    let t = text.trim();
    let ok = t.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && (4..=MAX_NAME).contains(&t.len());
    if ok {
        Ok(t.to_owned())
    } else {
        Err(format!(
            "A username starts with a letter and has 4 to {MAX_NAME} letters, digits and underscores."
        ))
    }
}

/// A person's name: 1 to 45 characters.
pub fn name(text: &str) -> Result<String, String> {
    let t = text.trim();
    if t.is_empty() {
        Err("Give the user's name.".into())
    } else if t.chars().count() > MAX_NAME {
        Err(format!("A name has at most {MAX_NAME} characters."))
    } else {
        Ok(t.to_owned())
    }
}

/// What `POST /users/` answers: the username (the one generated when none was sent) and,
/// when no password was set, the temporary one. Shown once, never stored.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct Created {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub temp_password: Option<Secret>,
}

/// `POST /users/`. Never retried blindly: after any doubt, look the email up
/// ([`GetUser`]) before sending again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateUser(pub NewUser);

impl Call for CreateUser {
    type Output = Created;
    fn request(&self) -> Request {
        json_post(
            "/users/",
            serde_json::to_string(&self.0).unwrap_or_default(),
        )
    }
    fn decode(&self, r: &Response) -> Result<Created, ApiError> {
        if r.body.trim().is_empty() {
            // A region that answers an empty 200: the username is the one sent.
            expect_success(r)?;
            return Ok(Created {
                username: self.0.username.clone().unwrap_or_default(),
                temp_password: None,
            });
        }
        decode_json(r, "the new user's username")
    }
}

/// What is known of a user's create after its answer (`answer`) and, when [`must_look`]
/// said so, a look-up of its email (`found`): made (with the temporary password when the
/// answer said it), or not made and safe to send again ([`ApiError::NotCreated`]), or the
/// region's refusal. A 409 naming the email is said as it is: another user has it.
pub fn outcome(
    answer: Result<Created, ApiError>,
    found: Option<Result<User, ApiError>>,
) -> Result<Created, ApiError> {
    let doubt = match answer {
        Ok(made) => return Ok(made),
        Err(e) if crate::accounts::once::in_doubt(&e) => e,
        Err(e) => return Err(e),
    };
    match found {
        Some(Ok(user)) => Ok(Created {
            username: user.username,
            temp_password: None,
        }),
        Some(Err(ApiError::NotFound(_))) => Err(ApiError::NotCreated(doubt.to_string())),
        Some(Err(e)) => Err(ApiError::MayExist(format!(
            "{doubt} Whether the user was added could not be checked ({e}): find its email in the user list before adding it again."
        ))),
        None => Err(doubt),
    }
}

/// Whether a create's answer leaves it in doubt, so the email must be looked up before
/// anything is said or sent again.
pub fn must_look(answer: &Result<Created, ApiError>) -> bool {
    matches!(answer, Err(e) if crate::accounts::once::in_doubt(e))
}

/// `GET /users/{user}` by email or username.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetUser(pub String);

fn user_path(user: &str, rest: &str) -> String {
    format!("/users/{}{rest}", encode_component(user))
}

impl Call for GetUser {
    type Output = User;
    fn request(&self) -> Request {
        json_get(&user_path(&self.0, ""))
    }
    fn decode(&self, r: &Response) -> Result<User, ApiError> {
        decode_json(r, "a JSON user")
    }
}

/// The fields to change on a user; any may be left out.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct UserEdit {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bonus_bytes: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

impl UserEdit {
    pub fn validate(&self) -> Vec<FieldProblem> {
        let mut p = Problems::default();
        p.opt("name", self.name.as_deref(), name);
        p.opt("email", self.email.as_deref(), validate::email);
        p.0
    }
    pub fn is_empty(&self) -> bool {
        *self == UserEdit::default()
    }
}

/// `POST /users/{user}`: 400, 402 (the new plan or bonus does not fit the pool), 404, 409.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditUser {
    pub user: String,
    pub edit: UserEdit,
}

impl Call for EditUser {
    type Output = ();
    fn request(&self) -> Request {
        let mut r = json_post(
            &user_path(&self.user, ""),
            serde_json::to_string(&self.edit).unwrap_or_default(),
        );
        // The same values twice do no harm, unless the email (how the user is addressed)
        // changes: a repeat would then find no such user.
        r.idempotent = self.edit.email.is_none();
        r
    }
    fn decode(&self, r: &Response) -> Result<(), ApiError> {
        expect_success(r)
    }
}

/// `DELETE /users/{user}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteUser(pub String);

impl Call for DeleteUser {
    type Output = ();
    fn request(&self) -> Request {
        json_delete(&user_path(&self.0, ""))
    }
    fn decode(&self, r: &Response) -> Result<(), ApiError> {
        expect_success(r)
    }
}

/// `POST /users/{user}?action=sendactivationemail` (an empty body, as the vendor's client
/// sends it). A 409 means the email could not be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendActivationEmail(pub String);

impl Call for SendActivationEmail {
    type Output = ();
    fn request(&self) -> Request {
        let mut r = json_post(&user_path(&self.0, ""), String::new());
        r.query = vec![("action".into(), "sendactivationemail".into())];
        r
    }
    fn decode(&self, r: &Response) -> Result<(), ApiError> {
        if r.status == 409 {
            let e = ApiError::from_response(r);
            return Err(ApiError::Conflict {
                message: format!("The activation email could not be sent ({e})."),
                fields: vec![],
            });
        }
        expect_success(r)
    }
}

/// One device a user backs up from.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Device {
    #[serde(default, deserialize_with = "lenient_i64")]
    pub device_id: Option<i64>,
    #[serde(default)]
    pub name: String,
    #[serde(default, deserialize_with = "lenient_i64")]
    pub creation_time: Option<i64>,
    #[serde(default, deserialize_with = "lenient_i64")]
    pub last_login: Option<i64>,
}

/// `GET /users/{user}/devices`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListDevices(pub String);

impl Call for ListDevices {
    type Output = Vec<Device>;
    fn request(&self) -> Request {
        json_get(&user_path(&self.0, "/devices"))
    }
    fn decode(&self, r: &Response) -> Result<Vec<Device>, ApiError> {
        decode_json(r, "a JSON list of devices")
    }
}

/// `GET /users/{user}/shares/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListUserShares(pub String);

impl Call for ListUserShares {
    type Output = Vec<Share>;
    fn request(&self) -> Request {
        json_get(&user_path(&self.0, "/shares/"))
    }
    fn decode(&self, r: &Response) -> Result<Vec<Share>, ApiError> {
        decode_json(r, "a JSON list of shares")
    }
}

/// `GET /users/{user}/shares/{room_key}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetUserShare {
    pub user: String,
    pub room_key: String,
}

impl Call for GetUserShare {
    type Output = Share;
    fn request(&self) -> Request {
        json_get(&user_path(
            &self.user,
            &format!("/shares/{}", encode_component(&self.room_key)),
        ))
    }
    fn decode(&self, r: &Response) -> Result<Share, ApiError> {
        decode_json(r, "a JSON share")
    }
}

/// A gigabyte as the vendor's console counts bonus storage.
pub const GB: u64 = 1_000_000_000;

/// Bonus storage typed in whole GB.
pub fn bonus_gb(text: &str) -> Result<u64, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(0);
    }
    match t.parse::<u64>() {
        Ok(n) if n <= 1_000_000 => Ok(n * GB),
        Ok(_) => Err("Bonus storage is at most 1,000,000 GB.".into()),
        Err(_) => Err("Bonus storage is a whole number of GB, 0 or more.".into()),
    }
}

/// The user form as typed: for adding a user, and for editing one. Holds no password
/// (the region makes a temporary one), so it may be kept as a draft.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct UserDraft {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    /// A group id, as the picker's value.
    #[serde(default)]
    pub group_id: String,
    /// A plan id, or empty for the group's plan.
    #[serde(default)]
    pub plan_id: String,
    #[serde(default)]
    pub bonus_gb: String,
    #[serde(default = "yes")]
    pub enabled: bool,
}

impl UserDraft {
    pub fn of(u: &User) -> Self {
        UserDraft {
            username: u.username.clone(),
            name: u.name.clone(),
            email: u.email.clone(),
            group_id: u.group_id.map(|g| g.to_string()).unwrap_or_default(),
            plan_id: u.plan_id.map(|p| p.to_string()).unwrap_or_default(),
            bonus_gb: (u.bonus_bytes / GB).to_string(),
            enabled: u.enabled,
        }
    }

    fn ids(&self) -> (Option<i64>, Option<i64>) {
        let id = |t: &str| t.trim().parse::<i64>().ok();
        (id(&self.group_id), id(&self.plan_id))
    }

    /// The user to add; `username` may be left empty for the region to number one.
    pub fn new_user(&self) -> Result<NewUser, Vec<FieldProblem>> {
        let mut p = Problems::default();
        let (group_id, plan_id) = self.ids();
        let bonus = p.check("bonus_bytes", bonus_gb(&self.bonus_gb));
        let new = NewUser {
            username: Some(self.username.trim().to_owned()).filter(|u| !u.is_empty()),
            name: self.name.trim().to_owned(),
            email: self.email.trim().to_owned(),
            group_id,
            plan_id,
            bonus_bytes: bonus.filter(|b| *b > 0),
            promo: None,
        };
        p.0.extend(new.validate());
        if p.0.is_empty() {
            Ok(new)
        } else {
            Err(p.0)
        }
    }

    /// What changed from `old`, as an edit: only the fields that differ are sent, so what
    /// the form does not show is never touched.
    pub fn edit_of(&self, old: &User) -> Result<UserEdit, Vec<FieldProblem>> {
        let mut p = Problems::default();
        let (group_id, plan_id) = self.ids();
        let bonus = p.check("bonus_bytes", bonus_gb(&self.bonus_gb));
        let (name, email) = (self.name.trim(), self.email.trim());
        let edit = UserEdit {
            name: (name != old.name).then(|| name.to_owned()),
            email: (!email.eq_ignore_ascii_case(&old.email)).then(|| email.to_owned()),
            group_id: group_id.filter(|g| Some(*g) != old.group_id),
            plan_id: plan_id.filter(|pl| Some(*pl) != old.plan_id),
            bonus_bytes: bonus.filter(|b| *b != old.bonus_bytes),
            enabled: (self.enabled != old.enabled).then_some(self.enabled),
        };
        p.0.extend(edit.validate());
        if p.0.is_empty() {
            Ok(edit)
        } else {
            Err(p.0)
        }
    }
}

/// The columns of the user list's CSV export, stable for billing and directory tools.
pub const CSV_COLUMNS: [&str; 13] = [
    "username",
    "email",
    "name",
    "group_id",
    "group",
    "plan_id",
    "plan",
    "enabled",
    "bytes_stored",
    "storage_bytes",
    "bonus_bytes",
    "created",
    "last_login",
];

/// The users as CSV: a header of [`CSV_COLUMNS`], one row per user, sizes in bytes, times
/// as ISO-8601 UTC, cells a spreadsheet cannot run as formulas ([`crate::csv::write`]).
pub fn export_csv(
    users: &[User],
    groups: &[super::groups::Group],
    plans: &[super::plans::Plan],
) -> String {
    let name_of_group = |id: Option<i64>| {
        groups
            .iter()
            .find(|g| Some(g.group_id) == id)
            .map(|g| g.name.clone())
            .unwrap_or_default()
    };
    let label_of_plan = |id: Option<i64>| {
        plans
            .iter()
            .find(|p| Some(p.plan_id) == id)
            .map(super::plans::Plan::label)
            .unwrap_or_default()
    };
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let time = |v: Option<i64>| {
        v.filter(|t| *t > 0)
            .map(crate::units::iso)
            .unwrap_or_default()
    };
    let mut rows: Vec<Vec<String>> = vec![CSV_COLUMNS.iter().map(|c| (*c).to_owned()).collect()];
    rows.extend(users.iter().map(|u| {
        vec![
            u.username.clone(),
            u.email.clone(),
            u.name.clone(),
            opt(u.group_id),
            name_of_group(u.group_id),
            opt(u.plan_id),
            label_of_plan(u.plan_id),
            u.enabled.to_string(),
            u.bytes_stored.to_string(),
            u.storage_bytes.to_string(),
            u.bonus_bytes.to_string(),
            time(u.creation_time),
            time(u.last_login),
        ]
    }));
    crate::csv::write(&rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_export_has_stable_columns_iso_times_and_no_formulas() {
        let u = User {
            username: "jo".into(),
            email: "jo@example.com".into(),
            name: "=HYPERLINK(\"x\")".into(),
            group_id: Some(2),
            plan_id: Some(1),
            enabled: true,
            bytes_stored: 5,
            storage_bytes: 100_000_000_000,
            creation_time: Some(1_700_000_000),
            last_login: None,
            ..User::default()
        };
        let groups = [super::super::groups::Group {
            group_id: 2,
            name: "Sales".into(),
            ..Default::default()
        }];
        let plans = [super::super::plans::Plan {
            plan_id: 1,
            storage_bytes: 100_000_000_000,
            name: None,
        }];
        let text = export_csv(&[u], &groups, &plans);
        let rows = crate::csv::parse(&text).unwrap();
        assert_eq!(rows[0], CSV_COLUMNS);
        assert_eq!(rows[1][4], "Sales");
        assert_eq!(rows[1][6], "100.0 GB");
        assert_eq!(rows[1][11], "2023-11-14T22:13:20Z");
        assert_eq!(rows[1][12], "");
        assert!(!rows[1][2].starts_with('='), "{}", rows[1][2]);
    }

    fn resp(status: u16, body: &str) -> Response {
        Response {
            status,
            headers: vec![],
            body: body.into(),
        }
    }

    #[test]
    fn a_page_of_users_is_asked_with_its_search_order_and_filters() {
        let q = UserQuery {
            search: Some(" jo@ ".into()),
            search_by: SearchBy::Email,
            order_by: Some((UserOrder::BytesStored, true)),
            group_id: Some(2),
            enabled: Some(false),
            limit: Some(25),
            offset: Some(50),
            ..UserQuery::default()
        };
        assert_eq!(
            ListUsers(q.clone()).request().path_and_query(),
            "/users/?search=jo%40&search_by=email&group_id=2&enabled=0&order_by=-bytes_stored&limit=25&offset=50"
        );
        assert_eq!(
            CountUsers(q).request().path_and_query(),
            "/users/?action=user_count&search=jo%40&search_by=email&group_id=2&enabled=0"
        );
        assert_eq!(
            UserOrder::from_param("-last_login"),
            Some((UserOrder::LastLogin, true))
        );
        assert_eq!(SearchBy::from_param("username"), Some(SearchBy::Username));
        assert_eq!(
            CountUsers::default().decode(&resp(200, r#"{"user_count": 312}"#)),
            Ok(312)
        );
    }

    #[test]
    fn users_read_tolerantly() {
        let users = ListUsers::default()
            .decode(&resp(
                200,
                r#"[{"avatar_id": 1001, "username": "jo", "email": "jo@example.com",
                     "name": "Jo", "group_id": 2, "plan_id": "1", "bytes_stored": 500,
                     "storage_bytes": 1000, "bonus_bytes": 0, "creation_time": 1700000000,
                     "last_login": null, "extra": true},
                    {"username": "ann"}]"#,
            ))
            .unwrap();
        assert_eq!(users[0].key(), "jo@example.com");
        assert_eq!(users[0].plan_id, Some(1));
        assert_eq!(users[0].used_permille(), Some(500));
        assert_eq!((users[1].key(), users[1].enabled), ("ann", true));
        assert_eq!(users[1].used_permille(), None);
    }

    #[test]
    fn adding_a_user_answers_its_temporary_password_and_says_conflicts_on_their_field() {
        let new = NewUser {
            name: "Jo".into(),
            email: "jo@example.com".into(),
            group_id: Some(2),
            ..NewUser::default()
        };
        assert!(new.validate().is_empty());
        let call = CreateUser(new);
        assert_eq!(
            call.request().body.as_deref(),
            Some(r#"{"name":"Jo","email":"jo@example.com","group_id":2}"#)
        );
        assert!(!call.request().idempotent);
        let made = call
            .decode(&resp(
                200,
                r#"{"username": "user_auto_12345", "temp_password": "1234-12345-1234"}"#,
            ))
            .unwrap();
        assert_eq!(made.username, "user_auto_12345");
        assert_eq!(made.temp_password.unwrap().expose(), "1234-12345-1234");
        let e = call
            .decode(&resp(
                409,
                r#"{"reason": "The following fields conflict with an existing account", "conflicts": ["username", "email"]}"#,
            ))
            .unwrap_err();
        let (on, rest) = e.on_fields(&["username", "name", "email"]);
        assert_eq!(rest, None);
        assert_eq!(
            on.iter().map(|p| p.field).collect::<Vec<_>>(),
            ["username", "email"]
        );
        assert!(matches!(
            call.decode(&resp(402, "")),
            Err(ApiError::NoStorage { .. })
        ));
    }

    #[test]
    fn a_create_in_doubt_is_looked_up_never_resent_blindly() {
        let lost = || Err(ApiError::Network("reset".into()));
        assert!(must_look(&lost()));
        assert!(!must_look(&Err(ApiError::Conflict {
            message: "x".into(),
            fields: vec!["email".into()]
        })));
        let jo = User {
            username: "jo".into(),
            ..User::default()
        };
        assert_eq!(outcome(lost(), Some(Ok(jo))).unwrap().username, "jo");
        assert!(matches!(
            outcome(lost(), Some(Err(ApiError::NotFound("x".into())))),
            Err(ApiError::NotCreated(_))
        ));
        assert!(matches!(
            outcome(lost(), Some(Err(ApiError::Timeout(2)))),
            Err(ApiError::MayExist(_))
        ));
    }

    #[test]
    fn the_form_sends_only_what_changed() {
        let old = User {
            username: "jo".into(),
            name: "Jo".into(),
            email: "jo@example.com".into(),
            group_id: Some(2),
            plan_id: Some(1),
            bonus_bytes: 10 * GB,
            enabled: true,
            ..User::default()
        };
        let mut d = UserDraft::of(&old);
        assert_eq!(d.edit_of(&old), Ok(UserEdit::default()));
        d.group_id = "3".into();
        d.bonus_gb = "25".into();
        d.enabled = false;
        assert_eq!(
            d.edit_of(&old),
            Ok(UserEdit {
                group_id: Some(3),
                bonus_bytes: Some(25 * GB),
                enabled: Some(false),
                ..UserEdit::default()
            })
        );
        d.bonus_gb = "lots".into();
        d.email = "nope".into();
        let fields: Vec<_> = d
            .edit_of(&old)
            .unwrap_err()
            .iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, ["bonus_bytes", "email"]);
        let fresh = UserDraft {
            name: "Ann".into(),
            email: "ann@example.com".into(),
            group_id: "2".into(),
            bonus_gb: "5".into(),
            ..UserDraft::default()
        };
        let new = fresh.new_user().unwrap();
        assert_eq!(
            (new.username, new.bonus_bytes, new.plan_id),
            (None, Some(5 * GB), None)
        );
    }

    #[test]
    fn new_users_are_checked_before_sending() {
        let bad = NewUser {
            username: Some("9lives".into()),
            name: " ".into(),
            email: "nope".into(),
            ..NewUser::default()
        };
        let fields: Vec<_> = bad.validate().iter().map(|p| p.field).collect();
        assert_eq!(fields, ["username", "name", "email", "group_id"]);
        assert!(username("abc").is_err());
        assert!(username("jo_smith2").is_ok());
        assert!(username("jo-smith").is_err());
    }

    #[test]
    fn a_user_is_addressed_by_email_encoded() {
        assert_eq!(
            GetUser("jo+x@example.com".into()).request().path,
            "/users/jo%2Bx%40example.com"
        );
        let act = SendActivationEmail("jo@example.com".into()).request();
        assert_eq!(
            act.path_and_query(),
            "/users/jo%40example.com?action=sendactivationemail"
        );
        assert!(matches!(
            SendActivationEmail("x".into()).decode(&resp(409, "")),
            Err(ApiError::Conflict { .. })
        ));
        let edit = EditUser {
            user: "jo@example.com".into(),
            edit: UserEdit {
                email: Some("new@example.com".into()),
                ..UserEdit::default()
            },
        };
        assert!(!edit.request().idempotent);
        assert_eq!(
            GetUserShare {
                user: "jo".into(),
                room_key: "r/1".into()
            }
            .request()
            .path,
            "/users/jo/shares/r%2F1"
        );
        assert_eq!(
            DeleteUser("jo".into()).request().method,
            crate::wire::request::Method::Delete
        );
    }
}
