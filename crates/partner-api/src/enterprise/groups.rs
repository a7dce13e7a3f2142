//! `/groups/`: the brand's groups of users, each on a plan.
//!
//! As documented (SpiderOak's "Group / Plan Manipulation") and as the vendor's client uses
//! it (netkes `accounts_api.py`): `POST /groups/` answers 201 with `Location: groups/{id}`;
//! a 409 names `name` (taken) or `plan_id` (no such plan); changing a group's plan may be
//! refused because it would put users over quota (a 402, or a 409 naming
//! `avatars_over_quota`) unless `force` is set; `DELETE /groups/{id}?move_to={id}` moves
//! the group's users first.

use super::{decode_json, json_delete, json_get, json_post};
use crate::call::{expect_success, Call};
use crate::error::ApiError;
use crate::fields::{FieldProblem, Problems};
use crate::wire::request::{Request, Response};
use crate::wire::DecodeError;
use serde::{Deserialize, Serialize};

/// The longest group name the vendor's console takes.
pub const MAX_GROUP_NAME: usize = 45;

/// `GET /groups/`, or `GET /groups/?search=` for the groups whose name contains the text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListGroups {
    pub search: Option<String>,
}

impl Call for ListGroups {
    type Output = Vec<Group>;
    fn request(&self) -> Request {
        let mut r = json_get("/groups/");
        if let Some(s) = self
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            r.query = vec![("search".into(), s.into())];
        }
        r
    }
    fn decode(&self, r: &Response) -> Result<Vec<Group>, ApiError> {
        decode_json(r, "a JSON list of groups")
    }
}

/// `GET /groups/{id}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GetGroup(pub i64);

impl Call for GetGroup {
    type Output = Group;
    fn request(&self) -> Request {
        json_get(&format!("/groups/{}", self.0))
    }
    fn decode(&self, r: &Response) -> Result<Group, ApiError> {
        let mut g: Group = decode_json(r, "a JSON group")?;
        // The documented Group Info has no id of its own: it is the one asked for.
        g.group_id = self.0;
        Ok(g)
    }
}

/// A group as the region lists it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Group {
    #[serde(default)]
    pub group_id: i64,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub plan_id: i64,
    /// Users of the group may reach their data through the web and mobile apps.
    #[serde(default)]
    pub webapi_enable: bool,
    /// Client installs are limited to machines in the directory domain of the settings.
    #[serde(default)]
    pub check_domain: bool,
}

/// What a new group is made with: every field of Group Info, as documented.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewGroup {
    pub name: String,
    pub plan_id: i64,
    pub webapi_enable: bool,
    pub check_domain: bool,
}

impl NewGroup {
    /// The checks the portal makes before sending, and the sandbox makes on receipt.
    pub fn validate(&self) -> Vec<FieldProblem> {
        let mut p = Problems::default();
        p.check("name", group_name(&self.name));
        p.0
    }
}

/// A group's name: 1 to 45 characters, not only spaces.
pub fn group_name(text: &str) -> Result<String, String> {
    let t = text.trim();
    if t.is_empty() {
        Err("Give the group a name.".into())
    } else if t.chars().count() > MAX_GROUP_NAME {
        Err(format!(
            "A group name has at most {MAX_GROUP_NAME} characters."
        ))
    } else {
        Ok(t.to_owned())
    }
}

/// `POST /groups/`: answers the new group's id, read from the `Location` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateGroup(pub NewGroup);

impl Call for CreateGroup {
    type Output = i64;
    fn request(&self) -> Request {
        json_post(
            "/groups/",
            serde_json::to_string(&self.0).unwrap_or_default(),
        )
    }
    fn decode(&self, r: &Response) -> Result<i64, ApiError> {
        expect_success(r)?;
        r.header("location")
            .and_then(|l| l.trim_end_matches('/').rsplit('/').next()?.parse().ok())
            .ok_or_else(|| {
                ApiError::Malformed(DecodeError {
                    expected: "a Location header naming the new group",
                    detail: r.header("location").unwrap_or("none").to_owned(),
                })
            })
    }
}

/// `POST /groups/{id}` with the fields to change; any may be left out.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct GroupEdit {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webapi_enable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_domain: Option<bool>,
    /// Change the plan even if it puts users of the group over their quota.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub force: bool,
}

impl GroupEdit {
    pub fn validate(&self) -> Vec<FieldProblem> {
        let mut p = Problems::default();
        p.opt("name", self.name.as_deref(), group_name);
        p.0
    }

    /// Whether the change would do nothing.
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.plan_id.is_none()
            && self.webapi_enable.is_none()
            && self.check_domain.is_none()
    }
}

/// `POST /groups/{id}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditGroup {
    pub group_id: i64,
    pub edit: GroupEdit,
}

impl Call for EditGroup {
    type Output = ();
    fn request(&self) -> Request {
        let mut r = json_post(
            &format!("/groups/{}", self.group_id),
            serde_json::to_string(&self.edit).unwrap_or_default(),
        );
        // Setting the same values twice does no harm.
        r.idempotent = true;
        r
    }
    fn decode(&self, r: &Response) -> Result<(), ApiError> {
        expect_success(r)
    }
}

/// Whether a refused plan change would be let through with `force`: the group's users would
/// go over their quota (a 402, or a 409 naming `avatars_over_quota`).
pub fn needs_force(e: &ApiError) -> bool {
    match e {
        ApiError::NoStorage { .. } => true,
        ApiError::Conflict { fields, .. } => fields.iter().any(|f| f == "avatars_over_quota"),
        _ => false,
    }
}

/// `DELETE /groups/{id}`, moving its users to `move_to` first when given. A region refuses
/// to delete a group that still has users and no `move_to` (the sandbox answers 409).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeleteGroup {
    pub group_id: i64,
    pub move_to: Option<i64>,
}

impl Call for DeleteGroup {
    type Output = ();
    fn request(&self) -> Request {
        let mut r = json_delete(&format!("/groups/{}", self.group_id));
        if let Some(to) = self.move_to {
            r.query = vec![("move_to".into(), to.to_string())];
        }
        r
    }
    fn decode(&self, r: &Response) -> Result<(), ApiError> {
        expect_success(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, headers: &[(&str, &str)], body: &str) -> Response {
        Response {
            status,
            headers: headers
                .iter()
                .map(|(k, v)| ((*k).into(), (*v).into()))
                .collect(),
            body: body.into(),
        }
    }

    #[test]
    fn a_new_group_is_known_by_its_location() {
        let call = CreateGroup(NewGroup {
            name: "Sales".into(),
            plan_id: 2,
            webapi_enable: true,
            check_domain: false,
        });
        let r = call.request();
        assert_eq!((r.path.as_str(), r.idempotent), ("/groups/", false));
        assert!(r.body.unwrap().contains(r#""name":"Sales""#));
        assert_eq!(
            call.decode(&resp(201, &[("location", "groups/42")], "")),
            Ok(42)
        );
        assert_eq!(
            call.decode(&resp(201, &[("location", "https://x/api/groups/7/")], "")),
            Ok(7)
        );
        assert!(matches!(
            call.decode(&resp(201, &[], "")),
            Err(ApiError::Malformed(_))
        ));
        let taken = call.decode(&resp(
            409,
            &[],
            r#"{"reason": "The following fields conflict with an existing record", "conflicts": ["name"]}"#,
        ));
        let (on, rest) = taken.unwrap_err().on_fields(&["name", "plan_id"]);
        assert_eq!((on[0].field, rest), ("name", None));
    }

    #[test]
    fn a_plan_change_over_quota_asks_for_force() {
        let call = EditGroup {
            group_id: 3,
            edit: GroupEdit {
                plan_id: Some(1),
                ..GroupEdit::default()
            },
        };
        assert_eq!(call.request().body.as_deref(), Some(r#"{"plan_id":1}"#));
        let e = call.decode(&resp(402, &[], "")).unwrap_err();
        assert!(needs_force(&e));
        let e = call
            .decode(&resp(
                409,
                &[],
                r#"{"reason": "x", "conflicts": ["avatars_over_quota"]}"#,
            ))
            .unwrap_err();
        assert!(needs_force(&e));
        let forced = GroupEdit {
            plan_id: Some(1),
            force: true,
            ..GroupEdit::default()
        };
        assert_eq!(
            serde_json::to_string(&forced).unwrap(),
            r#"{"plan_id":1,"force":true}"#
        );
    }

    #[test]
    fn deleting_moves_the_users_when_asked() {
        let r = DeleteGroup {
            group_id: 3,
            move_to: Some(1),
        }
        .request();
        assert_eq!(r.path_and_query(), "/groups/3?move_to=1");
        assert_eq!(r.method, crate::wire::request::Method::Delete);
        assert_eq!(
            ListGroups {
                search: Some(" sal ".into())
            }
            .request()
            .path_and_query(),
            "/groups/?search=sal"
        );
    }

    #[test]
    fn names_are_checked_before_sending() {
        assert!(group_name("  ").is_err());
        assert!(group_name(&"x".repeat(46)).is_err());
        assert_eq!(group_name(" Sales "), Ok("Sales".into()));
    }
}
