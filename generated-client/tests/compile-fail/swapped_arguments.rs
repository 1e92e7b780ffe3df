use generated_client::dingtalk::edu_period_create::Grades;

fn main() {
    // The number of classes given as the grade, and the grade as the number of classes.
    let _ = Grades::builder()
        .grade(0)
        .classes("2")
        .name("二年级2019级")
        .start_year("2019")
        .build();
}
