//! Work spread over the machine's cores in contiguous chunks, with results in input order, so
//! what is generated never depends on how many threads ran.

use std::thread;

/// Fewest items worth a thread of their own: below it, starting the thread costs more than it
/// saves.
const MIN_ITEMS_PER_THREAD: usize = 4;

/// `work` applied to contiguous chunks of `items`, one chunk per available core, each chunk's
/// results in order and the chunks in order: the same as `work(items)`.
pub(crate) fn map_chunks<T, R, F>(items: &[T], work: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&[T]) -> Vec<R> + Sync,
{
    let cores = thread::available_parallelism().map_or(1, |n| n.get());
    let threads = cores.min(items.len() / MIN_ITEMS_PER_THREAD).max(1);
    if threads == 1 {
        return work(items);
    }
    let chunk = items.len().div_ceil(threads);
    thread::scope(|s| {
        let running: Vec<_> = items.chunks(chunk).map(|c| s.spawn(|| work(c))).collect();
        running
            .into_iter()
            .flat_map(|t| {
                t.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_order_of_the_items() {
        for n in [0, 1, 3, 4, 9, 100, 1001] {
            let items: Vec<usize> = (0..n).collect();
            let doubled = map_chunks(&items, |c| c.iter().map(|i| i * 2).collect());
            assert_eq!(
                doubled,
                items.iter().map(|i| i * 2).collect::<Vec<_>>(),
                "{n}"
            );
        }
    }
}
