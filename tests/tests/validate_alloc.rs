//! A valid request validates without allocating: the path to each field lives on the stack and
//! is turned into text only when a violation is recorded. The same holds for the runtime's file
//! and group checks.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use client_runtime::validate::check;
use client_runtime::{File, GroupKind, Path, Severity, Validate, Violations};
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
    let mut classin = classin::AddCourseStudentMultipleRequest::builder()
        .course_id(490583)
        .student_json(accounts)
        .identity(classin::Identity::Auditor)
        .build();

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

const IMAGES: &[&str] = &["jpg", "jpeg", "gif", "png"];
const IMAGE_TYPES: &[&str] = &["image/jpeg", "image/gif", "image/png"];
const CONTACT: &[&str] = &["telephone", "email"];

fn checks(photo: &File, avatar: &File, contacts_set: usize, out: &mut Violations) {
    let root = Path::Root;
    let list = root.field("photos", "photoList");
    for (i, file) in [photo, avatar].into_iter().enumerate() {
        let item = list.index(i);
        check::file(&item, file, Some(1_048_576), IMAGES, IMAGE_TYPES, out);
    }
    let contact = root.field("contact", "contact");
    check::group(
        &contact,
        GroupKind::AtLeastOne,
        CONTACT,
        CONTACT,
        contacts_set,
        Severity::Error,
        out,
    );
    check::group(
        &contact,
        GroupKind::ExactlyOne,
        CONTACT,
        CONTACT,
        contacts_set,
        Severity::Warning,
        out,
    );
}

#[test]
fn valid_files_and_groups_validate_without_allocating() {
    let photo = File::from_bytes("Photo.JPG", vec![0u8; 4096]);
    let avatar = File::from_bytes("avatar.PNG", vec![0u8; 16]).with_media_type("Image/PNG");
    let mut out = Violations::default();
    assert_eq!(
        allocations_during(|| checks(&photo, &avatar, 1, &mut out)),
        0
    );
    assert!(out.is_empty(), "{out:?}");

    // The counter does see allocations: a violation allocates its path text.
    let bmp = File::from_bytes("a.bmp", vec![0u8; 16]);
    assert!(allocations_during(|| checks(&bmp, &avatar, 1, &mut out)) > 0);
    assert!(allocations_during(|| checks(&photo, &avatar, 0, &mut out)) > 0);
}
