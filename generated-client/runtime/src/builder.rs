//! The typestate of generated builders: which required fields have been given.
//!
//! A generated builder (`Grades::builder()`) has one type parameter per required field of its
//! type, [`Unset`] until the field's setter is called and the field's value after. A required
//! setter asks for [`IsUnset`], so a field cannot be given twice, and `build()` asks for
//! [`IsSet`] on every parameter, so it compiles only once every required field is given; both
//! traits name the mistake when it is made. Optional fields are plain `Option`s of the builder
//! and take their setters at any time.
//!
//! Written here rather than derived (a builder derive such as bon's writes a state type and
//! trait impls per field): the generated builders are the same few lines per field, which keeps
//! what rustc expands and checks in a crate of many types small.

/// A required field of a builder that has not been given yet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Unset;

/// A required field of a builder that has not been given yet; its setter can be called.
#[diagnostic::on_unimplemented(
    message = "this field of the builder is already set",
    label = "the field was given before in this chain",
    note = "a builder takes each required field once: remove one of the two calls"
)]
pub trait IsUnset {}

impl IsUnset for Unset {}

/// A required field of a builder that has been given a `T`; `build()` asks this of every
/// required field.
#[diagnostic::on_unimplemented(
    message = "`build()` is called before every required field is set",
    label = "a required field is missing",
    note = "the bound below names the missing field in UpperCamelCase (`__StartYear` is `start_year`): call its setter before `build()`"
)]
pub trait IsSet<T> {
    /// The field's value.
    fn into_value(self) -> T;
}

impl<T> IsSet<T> for T {
    #[inline]
    fn into_value(self) -> T {
        self
    }
}
