use generated_client::dingtalk::edu_period_create::{EduPeriodCreateRequest, OpenPeriod, PeriodCode, Step};

fn main() {
    // `operator` is required and left out of the request.
    let period = OpenPeriod::builder()
        .step(Step::PrimarySchool)
        .grades(vec![])
        .period_code(PeriodCode::PrimarySchool)
        .build();
    let _ = EduPeriodCreateRequest::builder().super_id(1233).open_period(period).build();
}
