use generated_client::dingtalk::edu_period_create::Grades;

fn main() {
    // `start_year` is required and left out.
    let _ = Grades::builder().grade("2").classes(0).name("二年级2019级").build();
}
