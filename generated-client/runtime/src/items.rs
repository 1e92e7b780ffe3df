//! Summaries of multi-item results: which items were done, done with a caveat, or not done.

use crate::endpoint::{ErrorCode, ItemResult, Outcome};

/// One item that did not simply succeed.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemIssue<C> {
    /// The item's position in the answer's list, from 0.
    pub index: usize,
    /// Its code.
    pub code: C,
    /// The server's message.
    pub message: String,
    /// Whether retrying the item later may succeed.
    pub retryable: bool,
}

/// What happened to the items of a multi-item call.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemSummary<C> {
    /// How many items there were.
    pub total: usize,
    /// How many were done without a caveat.
    pub succeeded: usize,
    /// Items done, but with something secondary failed (ClassIn 841).
    pub partial: Vec<ItemIssue<C>>,
    /// Items not done.
    pub failed: Vec<ItemIssue<C>>,
}

impl<C> ItemSummary<C> {
    /// Whether every item succeeded without a caveat.
    pub fn all_succeeded(&self) -> bool {
        self.partial.is_empty() && self.failed.is_empty()
    }

    /// Whether every item was done, caveats allowed.
    pub fn all_done(&self) -> bool {
        self.failed.is_empty()
    }
}

/// Sort `items` by their [`ItemResult::outcome`].
pub fn summarize<'a, I, It>(items: It) -> ItemSummary<I::Code>
where
    I: ItemResult + 'a,
    I::Code: ErrorCode,
    It: IntoIterator<Item = &'a I>,
{
    let mut summary = ItemSummary {
        total: 0,
        succeeded: 0,
        partial: Vec::new(),
        failed: Vec::new(),
    };
    for (index, item) in items.into_iter().enumerate() {
        summary.total += 1;
        match item.outcome() {
            Outcome::Success => summary.succeeded += 1,
            Outcome::PartialSuccess { code, message } => summary.partial.push(ItemIssue {
                index,
                code,
                message: message.to_owned(),
                retryable: false,
            }),
            Outcome::Failed {
                code,
                message,
                retryable,
            } => summary.failed.push(ItemIssue {
                index,
                code,
                message: message.to_owned(),
                retryable,
            }),
        }
    }
    summary
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::endpoint::test_codes::Code;

    struct Item(i64, &'static str);
    impl ItemResult for Item {
        type Code = Code;
        fn raw_code(&self) -> i64 {
            self.0
        }
        fn message(&self) -> &str {
            self.1
        }
    }

    #[test]
    fn items_are_sorted_by_outcome() {
        let items = [
            Item(1, "ok"),
            Item(841, "昵称同步失败"),
            Item(163, "已存在"),
            Item(464, "busy"),
        ];
        let s = summarize(&items);
        assert_eq!((s.total, s.succeeded), (4, 1));
        assert_eq!(
            s.partial,
            vec![ItemIssue {
                index: 1,
                code: Code(841),
                message: "昵称同步失败".into(),
                retryable: false
            }]
        );
        assert_eq!(s.failed.len(), 2);
        assert!(s.failed[1].retryable && !s.failed[0].retryable);
        assert!(!s.all_done() && !s.all_succeeded());
        let done = summarize(&items[..2]);
        assert!(done.all_done() && !done.all_succeeded());
    }
}
