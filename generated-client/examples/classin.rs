//! Adds two students to a ClassIn course on a server of your choice and reports each one.
//!
//! ```text
//! CLASSIN_SID=... CLASSIN_SECRET=... \
//!     cargo run -p generated-client --example classin -- https://api.eeo.cn 490583
//! ```
//!
//! Arguments: the base URL and the course id. Credentials come from the environment, never from
//! the command line: `CLASSIN_SID` and `CLASSIN_SECRET`.

use std::process::ExitCode;
use std::time::Duration;

use generated_client::classin::add_course_student_multiple::{
    AddCourseStudentMultipleRequest, StudentAccount,
};
use generated_client::classin::ClassInClient;
use generated_client::runtime::{self, summarize};

#[tokio::main]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(base), course) = (args.next(), args.next()) else {
        eprintln!("usage: classin <base URL> [<course id>]");
        return ExitCode::from(2);
    };
    let course_id = match course.as_deref().unwrap_or("490583").parse::<i64>() {
        Ok(id) => id,
        Err(_) => {
            eprintln!("the course id must be a number");
            return ExitCode::from(2);
        }
    };
    let (Ok(sid), Ok(secret)) = (
        std::env::var("CLASSIN_SID"),
        std::env::var("CLASSIN_SECRET"),
    ) else {
        eprintln!("set CLASSIN_SID and CLASSIN_SECRET");
        return ExitCode::from(2);
    };
    let client = match runtime::classin::ClassInClient::builder(sid, secret)
        .base_url(base)
        .timeout(Duration::from_secs(20))
        .build()
    {
        Ok(runtime) => ClassInClient::new(runtime),
        Err(e) => {
            eprintln!("cannot configure the client: {e}");
            return ExitCode::from(2);
        }
    };

    let students = ["1001001", "1002001"]
        .iter()
        .enumerate()
        .map(|(i, uid)| {
            let mut s = StudentAccount::new((*uid).to_owned());
            s.custom_column = Some(format!("row-{i}"));
            s
        })
        .collect();
    let request = AddCourseStudentMultipleRequest::builder()
        .course_id(course_id)
        .student_json(students)
        .build();
    match client.add_course_student_multiple(&request).await {
        Ok(response) => {
            let items = response.data.unwrap_or_default();
            let summary = summarize(&items);
            println!(
                "{} of {} added without caveat",
                summary.succeeded, summary.total
            );
            for issue in summary.partial.iter() {
                println!(
                    "item {} added, but: {} ({})",
                    issue.index, issue.message, issue.code
                );
            }
            for issue in summary.failed.iter() {
                println!(
                    "item {} not added: {} ({})",
                    issue.index, issue.message, issue.code
                );
            }
            if summary.all_done() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("addCourseStudentMultiple failed: {e}");
            ExitCode::FAILURE
        }
    }
}
