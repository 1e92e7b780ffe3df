use generated_client::dingtalk::edu_period_create::Grades;

fn main() {
    // A field given twice is a mistake the builder catches too.
    let _ = Grades::builder()
        .grade("2")
        .grade("3")
        .classes(0)
        .name("二年级2019级")
        .start_year("2019")
        .build();
}
