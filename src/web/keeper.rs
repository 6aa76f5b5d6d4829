//! The thread that owns the results store while a session is served. A store is not shared
//! between threads; requests hand it jobs, one at a time, and wait for the answer, so saves never
//! interleave and no trainee is told an answer is kept before the store has it.

use std::sync::mpsc;
use std::thread::JoinHandle;

use anyhow::{Context, Result, anyhow};

use crate::records::store::{Location, Store};

type Job = Box<dyn FnOnce(&mut dyn Store) + Send>;

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
                for job in inbox {
                    job(store.as_mut());
                }
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
            .send(Box::new(move |store: &mut dyn Store| {
                let _ = tx.send(job(store));
            }))
            .map_err(|_| anyhow!("the results store has been closed"))?;
        rx.await
            .map_err(|_| anyhow!("the results store stopped during a save"))
    }
}
