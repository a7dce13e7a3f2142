//! The region's enterprise settings, edited as a draft that survives a reload (and warns
//! before leaving with unsaved changes); only what changed is sent.

use crate::browser::set_leave_warning;
use crate::components::error_notice::ErrorNotice;
use crate::components::field::{Bind, Switch, TextField};
use crate::components::form::{checked, Form, FormDone, FormError, Refused};
use crate::components::format::human_duration;
use crate::components::submit::SubmitButton;
use crate::resource::Loaded;
use crate::state::{drafts, use_transport};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use partner_api::enterprise::account::{
    GetSettings, Settings, SettingsDraft, SettingsUpdate, UpdateSettings,
};
use partner_api::RegionId;

/// The settings a 400 may name.
const FIELD_NAMES: [&str; 9] = [
    "omva_url",
    "support_email",
    "share_link_ttl",
    "autopurge_interval",
    "purgehold_duration",
    "ad_domain",
    "signup_network_restriction",
    "versionpurge_interval",
    "sharing_enabled",
];

/// The draft, and whether it came back from an earlier visit.
#[derive(Clone, Copy)]
struct Editing {
    loaded: Loaded<Result<Settings, partner_api::ApiError>>,
    draft: RwSignal<Option<SettingsDraft>>,
    restored: RwSignal<bool>,
}

impl Editing {
    /// Starts from a kept draft or from the settings once they arrive, keeps unsaved changes
    /// as a draft under `key`, and warns before leaving with them.
    fn new(loaded: Loaded<Result<Settings, partner_api::ApiError>>, key: String) -> Self {
        let draft = RwSignal::new(None::<SettingsDraft>);
        let restored = RwSignal::new(false);
        {
            let key = key.clone();
            Effect::new(move |_| {
                if let Some(Ok(s)) = loaded.get() {
                    if draft.get_untracked().is_none() {
                        match drafts::load::<SettingsDraft>(&key) {
                            Some(d) if d != SettingsDraft::from(&s) => {
                                restored.set(true);
                                draft.set(Some(d));
                            }
                            _ => draft.set(Some(SettingsDraft::from(&s))),
                        }
                    }
                }
            });
        }
        let editing = Editing {
            loaded,
            draft,
            restored,
        };
        Effect::new(move |_| {
            let dirty = editing.changed();
            if let Some(d) = draft.get() {
                if dirty {
                    drafts::save(&key, &d)
                } else {
                    drafts::discard(&key)
                }
            }
            set_leave_warning(dirty);
        });
        on_cleanup(|| set_leave_warning(false));
        editing
    }

    /// Whether the draft differs from the settings the region has; tracked.
    fn changed(self) -> bool {
        let (Some(Ok(s)), Some(d)) = (self.loaded.get(), self.draft.get()) else {
            return false;
        };
        d != SettingsDraft::from(&s)
    }

    /// One text of the draft, for a field.
    fn text(
        self,
        get: fn(&SettingsDraft) -> String,
        set: fn(&mut SettingsDraft, String),
    ) -> Bind<String> {
        let draft = self.draft;
        Bind::new(
            move || draft.with(|d| d.as_ref().map(get).unwrap_or_default()),
            move |v| {
                draft.update(|d| {
                    if let Some(d) = d {
                        set(d, v)
                    }
                })
            },
        )
    }

    /// One switch of the draft.
    fn switch(
        self,
        get: fn(&SettingsDraft) -> bool,
        set: fn(&mut SettingsDraft, bool),
    ) -> Bind<bool> {
        let draft = self.draft;
        Bind::new(
            move || draft.with(|d| d.as_ref().map(get).unwrap_or(false)),
            move |v| {
                draft.update(|d| {
                    if let Some(d) = d {
                        set(d, v)
                    }
                })
            },
        )
    }

    fn shows(self, get: fn(&SettingsDraft) -> bool) -> impl Fn() -> bool + Copy {
        let draft = self.draft;
        move || draft.with(|d| d.as_ref().is_some_and(get))
    }
}

#[component]
pub(super) fn SettingsForm(region: RegionId) -> impl IntoView {
    let transport = use_transport();
    let loaded = {
        let (transport, region) = (transport.clone(), region.clone());
        Loaded::new(move || {
            let (transport, region) = (transport.clone(), region.clone());
            async move { transport.call(&region, &GetSettings).await }
        })
    };
    let editing = Editing::new(
        loaded,
        drafts::key(&crate::state::use_session(), &region, "settings"),
    );
    let Editing {
        draft, restored, ..
    } = editing;
    let form = Form::new(&FIELD_NAMES);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (transport, region) = (transport.clone(), region.clone());
        form.submit(
            || {
                let (Some(Ok(old)), Some(d)) = (loaded.get_untracked(), draft.get_untracked())
                else {
                    return Err(Refused::Fields(Vec::new()));
                };
                let new = d.to_settings().map_err(Refused::Fields)?;
                let update = SettingsUpdate::between(&old, &new);
                let found = update.validate();
                checked(update, found)
            },
            move |update| async move {
                if update.is_empty() {
                    return Ok(false);
                }
                transport.call(&region, &UpdateSettings(update)).await?;
                Ok(true)
            },
            move |answer| {
                if answer? {
                    form.done.set("Settings saved.".into());
                    draft.set(None);
                    loaded.refetch();
                } else {
                    form.done.set("Nothing changed.".into());
                }
                Ok(())
            },
        );
    };

    let body = move || {
        match loaded.get() {
        None => view! { <p role="status">"Loading the settings…"</p> }.into_any(),
        Some(Err(e)) => view! { <ErrorNotice error=e retry=move |_| loaded.refetch() /> }.into_any(),
        Some(Ok(_)) => view! {
            {move || restored.get().then(|| view! { <p class="draft-note" role="status">"Your unsaved changes are back."</p> })}
            <form class="new-account settings" on:submit=submit.clone() novalidate>
                {settings_fields(editing, form)}
                <FormError form />
                <FormDone form />
                <div class="action-buttons">
                    <SubmitButton pending=form.pending label="Save settings" busy="Saving…" />
                    <button type="button" on:click=move |_| { draft.set(None); restored.set(false); loaded.refetch(); }>"Discard changes"</button>
                </div>
            </form>
        }.into_any(),
    }
    };
    view! { <section aria-labelledby="settings-title"><h2 id="settings-title">"Enterprise settings"</h2>{body}</section> }
}

/// Every setting's field, in the order the region's documentation lists them.
fn settings_fields(editing: Editing, form: Form) -> impl IntoView {
    let draft = editing.draft;
    let duration_hint = move || {
        draft.with(|d| {
            d.as_ref()
                .and_then(|d| d.purgehold_duration.trim().parse::<i64>().ok())
                .map(|s| format!("Seconds. Now: {}.", human_duration(s)))
                .unwrap_or_else(|| "Seconds; empty means none.".into())
        })
    };
    view! {
        <TextField id="omva_url" label="OpenManage Virtual Appliance URL" value=editing.text(|d| d.omva_url.clone(), |d, v| d.omva_url = v)
            problem=form.problem("omva_url") hint="Like https://omva.example.com/." />
        <TextField id="support_email" label="Support email" value=editing.text(|d| d.support_email.clone(), |d, v| d.support_email = v)
            problem=form.problem("support_email") hint="Where your users ask for help." />
        <TextField id="share_link_ttl" label="Share link lifetime" value=editing.text(|d| d.share_link_ttl.clone(), |d, v| d.share_link_ttl = v)
            problem=form.problem("share_link_ttl") hint="Minutes a generated share link stays valid." />
        <Switch id="autopurge-on" label="Purge deleted blocks automatically" on=editing.switch(|d| d.autopurge_on, |d, on| d.autopurge_on = on) />
        <Show when=editing.shows(|d| d.autopurge_on)>
            <TextField id="autopurge_interval" label="Auto-purge after" value=editing.text(|d| d.autopurge_interval.clone(), |d, v| d.autopurge_interval = v)
                problem=form.problem("autopurge_interval") hint="Days after which deleted blocks are purged." />
        </Show>
        <TextField id="purgehold_duration" label="Purge hold" value=editing.text(|d| d.purgehold_duration.clone(), |d, v| d.purgehold_duration = v)
            problem=form.problem("purgehold_duration") hint=duration_hint />
        <Switch id="ad-domain-on" label="Users must belong to an Active Directory domain" on=editing.switch(|d| d.ad_domain_on, |d, on| d.ad_domain_on = on) />
        <Show when=editing.shows(|d| d.ad_domain_on)>
            <TextField id="ad_domain" label="Active Directory domain" value=editing.text(|d| d.ad_domain.clone(), |d, v| d.ad_domain = v)
                problem=form.problem("ad_domain") hint="Like corp.example.com." />
        </Show>
        <TextField id="versionpurge_interval" label="Purge historical versions after" value=editing.text(|d| d.versionpurge_interval.clone(), |d, v| d.versionpurge_interval = v)
            problem=form.problem("versionpurge_interval") hint="Days; empty means the region's default." />
        // Offered only where the region has the setting: nothing is invented.
        <Show when=editing.shows(|d| d.sharing_enabled.is_some())>
            <Switch id="sharing-enabled" label="Users may share files and folders" on=editing.switch(|d| d.sharing_enabled.unwrap_or(false), |d, on| d.sharing_enabled = Some(on)) />
        </Show>
        {networks(draft, form)}
    }
}

/// The netblocks that may not sign up directly, one line each.
fn networks(draft: RwSignal<Option<SettingsDraft>>, form: Form) -> impl IntoView {
    // Lines come and go with the count only, so typing in one keeps its focus.
    let count = Memo::new(move |_| draft.with(|d| d.as_ref().map_or(0, |d| d.networks.len())));
    let lines = move || {
        (0..count.get()).map(|i| {
            let id = format!("network-{i}");
            let for_id = id.clone();
            view! {
                <div class="address-line">
                    <label for=for_id>{format!("Netblock {}", i + 1)}</label>
                    <input id=id type="text" placeholder="192.0.2.0/24 or 2001:db8::/32"
                        prop:value=move || draft.with(|d| d.as_ref().and_then(|d| d.networks.get(i).cloned()).unwrap_or_default())
                        on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| if let Some(l) = d.as_mut().and_then(|d| d.networks.get_mut(i)) { *l = v }); } />
                    <button type="button" class="link" aria-label=format!("Remove netblock {}", i + 1)
                        on:click=move |_| draft.update(|d| if let Some(d) = d { if i < d.networks.len() { d.networks.remove(i); } })>"Remove"</button>
                </div>
            }
        }).collect_view()
    };
    let problem = form.problem("signup_network_restriction");
    view! {
        <fieldset class="address" aria-describedby="signup_network_restriction-problem">
            <legend>"Networks that may not sign up directly"</legend>
            {lines}
            <button type="button" on:click=move |_| draft.update(|d| if let Some(d) = d { d.networks.push(String::new()) })>"Add a netblock"</button>
            <p id="signup_network_restriction-problem" class="field-problem">{move || problem.get()}</p>
        </fieldset>
    }
}
