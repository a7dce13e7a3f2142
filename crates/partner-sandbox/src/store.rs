//! `--data FILE`: the world as JSON, written atomically (a temporary file beside it, flushed
//! to disk, then renamed over it), so a crash mid-write leaves the previous state whole.

use crate::world::World;
use std::io::Write;
use std::path::Path;

/// Reads a saved world; `Ok(None)` when the file does not exist yet.
pub fn load(path: &Path) -> std::io::Result<Option<World>> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            std::io::Error::other(format!(
                "{} is not a sandbox state file: {e}",
                path.display()
            ))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Writes the world so that the file is either the old state or the new one, never half.
pub fn save(path: &Path, world: &World) -> std::io::Result<()> {
    let bytes = serde_json::to_vec(world).map_err(std::io::Error::other)?;
    let tmp = path.with_extension("tmp");
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&bytes)?;
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
