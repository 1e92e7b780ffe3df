use generated_client::dingtalk::edu_period_create::Grades;

fn main() {
    // Four values in an order only the spec knows: there is no such constructor.
    let _ = Grades::new("2".into(), 0, "二年级2019级".into(), "2019".into());
}
