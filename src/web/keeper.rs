//! The thread that owns the results store while a session is served. A store is not shared
//! between threads; requests hand it jobs and wait for the answer, so saves never interleave.
//!
//! Saves are written together: the saves of every job waiting at once go to the store in one
//! `save_all` (one transaction, one wait for the disk) before any of those jobs is answered, so
//! a room of trainees answering at the same moment is not kept waiting in a queue of separate
//! writes, and no trainee is told an answer is kept before it is.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread::JoinHandle;

use anyhow::{Context, Result, anyhow, bail};

use crate::records::record::Record;
use crate::records::session::Session;
use crate::records::store::{Filter, Location, Store};

/// The most jobs whose saves are written together.
const MOST_AT_ONCE: usize = 256;

/// Told whether the saves a job made are in the store.
type Answer = Box<dyn FnOnce(Result<(), String>) + Send>;

/// A job run with the store itself.
type WithStore = Box<dyn FnOnce(&mut dyn Store) + Send>;
/// A job whose saves are kept, and which is answered once they are written.
type WithSaves = Box<dyn FnOnce(&mut dyn Store) -> Answer + Send>;

enum Job {
    /// Runs with the store itself, after every earlier save is written.
    Now(WithStore),
    /// Runs with a store that keeps its saves, to be written with the others waiting.
    Saving(WithSaves),
}

/// Hands jobs to the store's thread. Cloning it is cheap; the thread ends when every handle is
/// gone and its jobs are done.
#[derive(Clone)]
pub struct Keeper {
    jobs: mpsc::Sender<Job>,
}

impl Keeper {
    /// Opens the store at `location` on a thread of its own.
    pub fn start(location: Location) -> Result<(Keeper, JoinHandle<()>)> {
        let (jobs, inbox) = mpsc::channel::<Job>();
        let (opened_tx, opened) = mpsc::channel::<Result<()>>();
        let thread = std::thread::Builder::new()
            .name("sgquiz-store".to_string())
            .spawn(move || {
                let mut store = match location.open_existing() {
                    Ok(store) => {
                        let _ = opened_tx.send(Ok(()));
                        store
                    }
                    Err(e) => {
                        let _ = opened_tx.send(Err(e));
                        return;
                    }
                };
                keep(store.as_mut(), &inbox);
            })
            .context("starting the store's thread")?;
        opened
            .recv()
            .map_err(|_| anyhow!("the store's thread stopped before opening the store"))??;
        Ok((Keeper { jobs }, thread))
    }

    /// Runs `job` with the store and waits for its answer.
    pub async fn call<T: Send + 'static>(
        &self,
        job: impl FnOnce(&mut dyn Store) -> T + Send + 'static,
    ) -> Result<T> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Job::Now(Box::new(move |store: &mut dyn Store| {
                let _ = tx.send(job(store));
            })))
            .map_err(|_| anyhow!("the results store has been closed"))?;
        rx.await
            .map_err(|_| anyhow!("the results store stopped during a save"))
    }

    /// Runs `job` with a store that takes only saves (anything else is refused), and waits until
    /// its saves are written with the others waiting: its answer, and whether they were.
    pub async fn saving<T: Send + 'static>(
        &self,
        job: impl FnOnce(&mut dyn Store) -> T + Send + 'static,
    ) -> Result<(T, Result<(), String>)> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Job::Saving(Box::new(move |store: &mut dyn Store| {
                let answer = job(store);
                Box::new(move |written: Result<(), String>| {
                    let _ = tx.send((answer, written));
                }) as Answer
            })))
            .map_err(|_| anyhow!("the results store has been closed"))?;
        rx.await
            .map_err(|_| anyhow!("the results store stopped during a save"))
    }
}

/// The store's thread: takes every job waiting, runs them in order, and writes the saves of
/// each run of saving jobs together before answering them.
fn keep(store: &mut dyn Store, inbox: &mpsc::Receiver<Job>) {
    let mut pending = Pending::default();
    let mut waiting: Vec<Answer> = Vec::new();
    while let Ok(first) = inbox.recv() {
        let mut jobs = vec![first];
        while jobs.len() < MOST_AT_ONCE
            && let Ok(job) = inbox.try_recv()
        {
            jobs.push(job);
        }
        for job in jobs {
            match job {
                Job::Now(job) => {
                    write(store, &mut pending, &mut waiting);
                    job(store);
                }
                Job::Saving(job) => waiting.push(job(&mut pending)),
            }
        }
        write(store, &mut pending, &mut waiting);
    }
}

fn write(store: &mut dyn Store, pending: &mut Pending, waiting: &mut Vec<Answer>) {
    if waiting.is_empty() {
        return;
    }
    // Only the latest save of each attempt matters: each replaces the one before.
    let mut latest: Vec<Record> = Vec::new();
    for r in pending.saves.drain(..).rev() {
        if !latest.iter().any(|l| l.id == r.id) {
            latest.push(r);
        }
    }
    latest.reverse();
    let written = store.save_all(&latest).map_err(|e| format!("{e:#}"));
    for answer in waiting.drain(..) {
        answer(written.clone());
    }
}

/// Keeps the saves it is given; refuses everything else.
#[derive(Default)]
struct Pending {
    saves: Vec<Record>,
}

impl Store for Pending {
    fn save(&mut self, record: &Record) -> Result<()> {
        self.saves.push(record.clone());
        Ok(())
    }
    fn incomplete(&self, _: &str, _: &str) -> Result<Option<Record>> {
        bail!("a saving job reads nothing")
    }
    fn records(&self, _: &Filter) -> Result<Vec<Record>> {
        bail!("a saving job reads nothing")
    }
    fn forget(&mut self, _: &str) -> Result<usize> {
        bail!("a saving job erases nothing")
    }
    fn add_session(&mut self, _: &Session) -> Result<()> {
        bail!("a saving job makes no session")
    }
    fn session(&self, _: &str) -> Result<Option<Session>> {
        bail!("a saving job reads nothing")
    }
    fn sessions(&self) -> Result<Vec<Session>> {
        bail!("a saving job reads nothing")
    }
    fn close_session(&mut self, _: &str, _: &str) -> Result<bool> {
        bail!("a saving job closes no session")
    }
    fn location(&self) -> &Path {
        static NOWHERE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
        NOWHERE.get_or_init(|| PathBuf::from("(pending saves)"))
    }
}
