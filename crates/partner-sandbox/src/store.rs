//! `--data FILE`: the world as JSON, written atomically (`FILE.tmp` beside it, created 0600,
//! flushed to disk, then renamed over `FILE`), so a crash mid-write leaves the previous
//! state whole.
//!
//! Saving happens on a thread of its own ([`Saver`]), never on the async workers. Changes
//! are counted in generations; the saver waits a moment after a change ([`Saver::DEBOUNCE`])
//! so that the changes of many requests go to disk in one write, and a write request is
//! answered only once a save holding its change is on disk ([`Saver::saved`]). So an
//! acknowledged change survives a crash, and a burst of writes costs a few saves, not one
//! each.
//!
//! The file's format is versioned (`"format": 2`). Format 1 (before issue 14) kept passwords
//! as they were typed: it is read, its passwords hashed, and written back as format 2 at
//! once. A newer format is refused with a reason.

use crate::passwords::PasswordHash;
use crate::world::World;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex, Weak};
use std::time::Duration;
use tokio::sync::{watch, RwLock};

/// The format this sandbox writes.
pub const FORMAT: u64 = 2;

/// `FILE.tmp`: the name with `.tmp` added, never replacing an extension (`--data x.tmp`
/// saves through `x.tmp.tmp`, not onto itself).
pub fn temp_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".tmp");
    PathBuf::from(name)
}

fn not_a_state_file(path: &Path, why: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::other(format!(
        "{} is not a sandbox state file: {why}",
        path.display()
    ))
}

/// Reads a saved world; `Ok(None)` when the file does not exist yet. The `bool` says the
/// file was in an older format and was migrated (the caller saves it again).
pub fn load_migrating(path: &Path) -> std::io::Result<Option<(World, bool)>> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut value: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| not_a_state_file(path, e))?;
    let Some(object) = value.as_object_mut() else {
        return Err(not_a_state_file(path, "it is not a JSON object"));
    };
    let format = match object.remove("format") {
        None => 1,
        Some(f) => f
            .as_u64()
            .ok_or_else(|| not_a_state_file(path, "its format is not a number"))?,
    };
    let migrated = match format {
        1 => {
            migrate_passwords(&mut value);
            true
        }
        FORMAT => false,
        newer => {
            return Err(std::io::Error::other(format!(
                "{} was written by a newer sandbox (state format {newer}); this one reads formats 1 and {FORMAT}. Use a newer partner-sandbox or another --data file.",
                path.display()
            )))
        }
    };
    let world = serde_json::from_value(value).map_err(|e| not_a_state_file(path, e))?;
    Ok(Some((world, migrated)))
}

/// Reads a saved world; `Ok(None)` when the file does not exist yet.
pub fn load(path: &Path) -> std::io::Result<Option<World>> {
    Ok(load_migrating(path)?.map(|(w, _)| w))
}

/// Format 1 kept `"password": "…"` on every token record: hash each one in place.
fn migrate_passwords(world: &mut serde_json::Value) {
    let Some(regions) = world.get_mut("regions").and_then(|r| r.as_object_mut()) else {
        return;
    };
    for region in regions.values_mut() {
        let Some(accounts) = region.get_mut("accounts").and_then(|a| a.as_object_mut()) else {
            continue;
        };
        for account in accounts.values_mut() {
            let Some(tokens) = account.get_mut("tokens").and_then(|t| t.as_array_mut()) else {
                continue;
            };
            for record in tokens.iter_mut().filter_map(|r| r.as_object_mut()) {
                if let Some(serde_json::Value::String(p)) = record.remove("password") {
                    if let Some(hash) = PasswordHash::of(&p) {
                        record.insert(
                            "password_hash".into(),
                            serde_json::to_value(hash).unwrap_or_default(),
                        );
                    }
                }
            }
        }
    }
}

/// The bytes of a state file.
pub fn encode(world: &World) -> std::io::Result<Vec<u8>> {
    #[derive(serde::Serialize)]
    struct Versioned<'a> {
        format: u64,
        #[serde(flatten)]
        world: &'a World,
    }
    serde_json::to_vec(&Versioned {
        format: FORMAT,
        world,
    })
    .map_err(std::io::Error::other)
}

/// Writes the world so that the file is either the old state or the new one, never half.
pub fn save(path: &Path, world: &World) -> std::io::Result<()> {
    write_atomically(path, &encode(world)?)
}

/// `bytes` into `FILE.tmp` (created 0600: the file holds every login's password hash),
/// flushed to disk, renamed over `FILE`, and the directory flushed so the rename lasts.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = temp_path(path);
    {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut f = options.open(&tmp)?;
        // A temporary file left by a crash keeps the mode it was made with: set it again.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

/// What the saver has put on disk: every change up to `generation`, or why the last save
/// failed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Saved {
    pub generation: u64,
    pub error: Option<String>,
}

/// Saves the world on its own thread, debounced, and tells writers when their change is on
/// disk.
pub struct Saver {
    changes: Mutex<u64>,
    wake: Mutex<mpsc::Sender<()>>,
    saved: watch::Receiver<Saved>,
    /// How many saves went to disk (for tests and the load figures).
    pub saves: Arc<std::sync::atomic::AtomicU64>,
}

impl Saver {
    /// How long the saver waits after a change for more before it writes.
    pub const DEBOUNCE: Duration = Duration::from_millis(20);

    /// Starts the thread. It holds the world weakly and ends when the world is gone.
    pub fn start(path: PathBuf, world: &Arc<RwLock<World>>, debounce: Duration) -> Arc<Saver> {
        let (wake, woken) = mpsc::channel::<()>();
        let (tell, saved) = watch::channel(Saved::default());
        let saver = Arc::new(Saver {
            changes: Mutex::new(0),
            wake: Mutex::new(wake),
            saved,
            saves: Arc::default(),
        });
        let weak_world: Weak<RwLock<World>> = Arc::downgrade(world);
        let weak_saver = Arc::downgrade(&saver);
        std::thread::Builder::new()
            .name("partner-sandbox-saver".into())
            .spawn(move || {
                while woken.recv().is_ok() {
                    std::thread::sleep(debounce);
                    while woken.try_recv().is_ok() {}
                    let (Some(world), Some(saver)) = (weak_world.upgrade(), weak_saver.upgrade())
                    else {
                        return;
                    };
                    // Under the read lock no change is half made, and every change counted
                    // so far is in the copy (changes are counted under the write lock). The
                    // lock is held for the copy only (a sixth of encoding it, measured on a
                    // 30,000-account world), so calls wait little while a save is made.
                    let (generation, copy) = {
                        let w = world.blocking_read();
                        (saver.generation(), w.clone())
                    };
                    drop(world);
                    let result = encode(&copy).and_then(|b| write_atomically(&path, &b));
                    drop(copy);
                    saver
                        .saves
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let error = result.err().map(|e| {
                        eprintln!("partner-sandbox: could not save {}: {e}", path.display());
                        e.to_string()
                    });
                    tell.send_replace(Saved { generation, error });
                }
            })
            .expect("the saver thread starts");
        saver
    }

    /// The changes counted so far.
    pub fn generation(&self) -> u64 {
        *self.changes.lock().expect("changes lock")
    }

    /// Counts a change; call it with the world's write lock held, after the change.
    pub fn changed(&self) {
        *self.changes.lock().expect("changes lock") += 1;
        let _ = self.wake.lock().expect("wake lock").send(());
    }

    /// Waits until every change up to `generation` is on disk; `Err` with the reason when
    /// the save that should hold it failed.
    pub async fn saved(&self, generation: u64) -> Result<(), String> {
        let mut rx = self.saved.clone();
        let saved = rx
            .wait_for(|s| s.generation >= generation)
            .await
            .map_err(|_| "the saver stopped".to_string())?;
        match &saved.error {
            None => Ok(()),
            Some(e) => Err(e.clone()),
        }
    }
}
