//! A valid request validates without allocating: the path to each field lives on the stack and
//! is turned into text only when a violation is recorded.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use client_runtime::Validate;
use generated_client::classin::add_course_student_multiple as classin;
use generated_client::dingtalk::industry_studentpool_batchadd as pool;

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: forwards to the system allocator; only counts calls on the current thread.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_during(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

#[test]
fn valid_requests_validate_without_allocating() {
    let mut batch = pool::IndustryStudentpoolBatchaddRequest::new("1003".into());
    batch.student_list = Some(
        (0..20)
            .map(|i| {
                let mut s = pool::TrainingStudentDto::new();
                s.name = Some(format!("学员{i}"));
                s.mobile = Some("18511111111".into());
                s.patriarchs = Some(
                    (0..3)
                        .map(|_| {
                            let mut p = pool::PatriarchDto::new();
                            p.name = Some("丁明".into());
                            p
                        })
                        .collect(),
                );
                s
            })
            .collect(),
    );
    let mut accounts: Vec<_> = (0..20)
        .map(|i| classin::StudentAccount::new(format!("100{i}")))
        .collect();
    for a in &mut accounts {
        a.name = Some("张三".repeat(12));
        a.custom_column = Some("x".repeat(50));
    }
    let mut classin = classin::AddCourseStudentMultipleRequest::new(490583, accounts);
    classin.identity = classin::Identity::Auditor;

    assert_eq!(
        allocations_during(|| assert!(batch.validate().unwrap().is_empty())),
        0
    );
    assert_eq!(
        allocations_during(|| assert!(classin.validate().unwrap().is_empty())),
        0
    );

    // The counter does see allocations: a violation allocates its path text.
    classin.student_json[0].uid.clear();
    assert!(allocations_during(|| assert!(classin.validate().is_err())) > 0);
}
