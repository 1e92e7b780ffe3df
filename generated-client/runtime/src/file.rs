//! Files a request uploads: bytes in memory, a file on disk read when the request is sent, or a
//! stream that can be sent once.
//!
//! A [`File`] knows its name, its length and its media type before anything is read, so that
//! validation can check them ([`crate::validate::check::file`]). Only the ClassIn client sends
//! files, as parts of a `multipart/form-data` body.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures_core::Stream;

/// The media type a file part is sent with when none is set and none can be guessed.
pub const DEFAULT_MEDIA_TYPE: &str = "application/octet-stream";

type ByteStream = Pin<Box<dyn Stream<Item = io::Result<Bytes>> + Send>>;

/// A file to upload.
#[derive(Clone)]
pub struct File {
    inner: Arc<Inner>,
}

#[derive(Clone)]
struct Inner {
    name: String,
    len: u64,
    media_type: Option<String>,
    source: Source,
}

#[derive(Clone)]
enum Source {
    Bytes(Bytes),
    Path(PathBuf),
    Stream(Arc<Mutex<Option<ByteStream>>>),
}

impl File {
    fn new(name: String, len: u64, source: Source) -> File {
        File {
            inner: Arc::new(Inner {
                name,
                len,
                media_type: None,
                source,
            }),
        }
    }

    /// A file named `name` holding `bytes`.
    pub fn from_bytes(name: impl Into<String>, bytes: impl Into<Bytes>) -> File {
        let bytes = bytes.into();
        File::new(name.into(), bytes.len() as u64, Source::Bytes(bytes))
    }

    /// The file at `path`, named by its last component, with its length now. Its content is
    /// read when the request is sent, each time it is sent (so a retry sends it again); a file
    /// whose length changed by then is not sent ([`FileError::LengthChanged`]).
    ///
    /// Fails when `path` cannot be read or is not a regular file.
    pub fn from_path(path: impl AsRef<Path>) -> io::Result<File> {
        let path = path.as_ref();
        let invalid = |what: &str| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{} {what}", path.display()),
            )
        };
        let metadata = std::fs::metadata(path)?;
        if !metadata.is_file() {
            return Err(invalid("is not a regular file"));
        }
        let name = path
            .file_name()
            .ok_or_else(|| invalid("has no file name"))?
            .to_string_lossy()
            .into_owned();
        Ok(File::new(
            name,
            metadata.len(),
            Source::Path(path.to_path_buf()),
        ))
    }

    /// A file named `name` of `len` bytes, read from `stream` when the request is sent.
    ///
    /// The length is declared up front, so validation can check it; a stream that ends before
    /// `len` bytes or holds more fails the sending. A stream can be sent once: a second sending,
    /// such as a retry of the call, fails with [`FileError::StreamConsumed`].
    pub fn from_stream<S>(name: impl Into<String>, len: u64, stream: S) -> File
    where
        S: Stream<Item = io::Result<Bytes>> + Send + 'static,
    {
        File::new(
            name.into(),
            len,
            Source::Stream(Arc::new(Mutex::new(Some(Box::pin(stream))))),
        )
    }

    /// This file, sent with media type `media_type` instead of the one its name suggests.
    pub fn with_media_type(mut self, media_type: impl Into<String>) -> File {
        Arc::make_mut(&mut self.inner).media_type = Some(media_type.into());
        self
    }

    /// The file name sent with the content.
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// The length in bytes.
    pub fn len(&self) -> u64 {
        self.inner.len
    }

    /// Whether the file has no content.
    pub fn is_empty(&self) -> bool {
        self.inner.len == 0
    }

    /// The media type: the one set with [`File::with_media_type`], or else the one the name's
    /// extension suggests (`image/jpeg` for `.jpg`, `application/pdf` for `.pdf`), or `None`
    /// (the file is then sent as [`DEFAULT_MEDIA_TYPE`]).
    pub fn media_type(&self) -> Option<&str> {
        match &self.inner.media_type {
            Some(set) => Some(set),
            None => mime_guess::from_ext(self.extension_str()?).first_raw(),
        }
    }

    /// The extension of the name, lower-cased: `jpg` for `Photo.JPG`, `None` for `README` or
    /// `.bashrc`.
    pub fn extension(&self) -> Option<String> {
        self.extension_str().map(str::to_ascii_lowercase)
    }

    /// The extension of the name as written.
    pub(crate) fn extension_str(&self) -> Option<&str> {
        Path::new(&self.inner.name).extension()?.to_str()
    }

    fn source_kind(&self) -> &'static str {
        match self.inner.source {
            Source::Bytes(_) => "bytes",
            Source::Path(_) => "path",
            Source::Stream(_) => "stream",
        }
    }
}

impl fmt::Debug for File {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("File")
            .field("name", &self.inner.name)
            .field("len", &self.inner.len)
            .field("media_type", &self.media_type())
            .field("source", &self.source_kind())
            .finish()
    }
}

/// Files are equal when their name, length, media type and source are: bytes by content, paths
/// by path, streams by identity (a clone of a streamed file equals it).
impl PartialEq for File {
    fn eq(&self, other: &File) -> bool {
        if Arc::ptr_eq(&self.inner, &other.inner) {
            return true;
        }
        let (a, b) = (&*self.inner, &*other.inner);
        a.name == b.name
            && a.len == b.len
            && a.media_type == b.media_type
            && match (&a.source, &b.source) {
                (Source::Bytes(x), Source::Bytes(y)) => x == y,
                (Source::Path(x), Source::Path(y)) => x == y,
                (Source::Stream(x), Source::Stream(y)) => Arc::ptr_eq(x, y),
                _ => false,
            }
    }
}

impl Eq for File {}

/// A summary, `{"name": .., "len": .., "media_type": ..}`, never the content: what logs of a
/// request show. The form encoders leave file fields out.
impl serde::Serialize for File {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut summary = serializer.serialize_struct("File", 3)?;
        summary.serialize_field("name", &self.inner.name)?;
        summary.serialize_field("len", &self.inner.len)?;
        summary.serialize_field("media_type", &self.media_type())?;
        summary.end()
    }
}

const NOT_FROM_DATA: &str = "a file cannot be read back from serialized data, which holds only \
     its name, length and media type; make it with File::from_bytes, from_path or from_stream";

/// Always fails: serialized data holds a file's summary, not its content.
#[cfg(not(feature = "testing"))]
impl<'de> serde::Deserialize<'de> for File {
    fn deserialize<D: serde::Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
        Err(serde::de::Error::custom(NOT_FROM_DATA))
    }
}

/// The newtype name under which the fake vendors' wire reader hands a received file part to
/// `File`'s `Deserialize` (feature `testing`), as `(RECEIVED_FILE, name, media type, bytes)`.
#[cfg(feature = "testing")]
pub(crate) const RECEIVED_FILE: &str = "$client_runtime::ReceivedFile";

/// Fails for serialized data, which holds a file's summary, not its content. With the `testing`
/// feature, a file part that a fake vendor received reads as a file of its bytes.
#[cfg(feature = "testing")]
impl<'de> serde::Deserialize<'de> for File {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_newtype_struct(RECEIVED_FILE, ReceivedVisitor)
    }
}

#[cfg(feature = "testing")]
struct ReceivedVisitor;

#[cfg(feature = "testing")]
impl<'de> serde::de::Visitor<'de> for ReceivedVisitor {
    type Value = File;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(NOT_FROM_DATA)
    }
    fn visit_newtype_struct<D: serde::Deserializer<'de>>(self, d: D) -> Result<File, D::Error> {
        type Parts = (String, String, Option<String>, Vec<u8>);
        let refused = || serde::de::Error::custom(NOT_FROM_DATA);
        let (marker, name, media_type, bytes) =
            <Parts as serde::Deserialize>::deserialize(d).map_err(|_| refused())?;
        if marker != RECEIVED_FILE {
            return Err(refused());
        }
        let file = File::from_bytes(name, bytes);
        Ok(match media_type {
            Some(m) if file.media_type() != Some(m.as_str()) => file.with_media_type(m),
            _ => file,
        })
    }
}

/// A file could not be sent; nothing of this attempt reached the server.
#[derive(Debug, Clone, thiserror::Error)]
pub enum FileError {
    /// The file comes from a stream that was already sent (by an earlier attempt of the call):
    /// a stream is read once.
    #[error("file field `{field}` (`{name}`) comes from a stream, which is read once: it was already sent and cannot be sent again (give the file as bytes or a path to allow retries)")]
    StreamConsumed {
        /// The field's wire name.
        field: &'static str,
        /// The file's name.
        name: String,
    },
    /// The file at a path could not be opened or read.
    #[error("file field `{field}` (`{name}`) could not be read: {source}")]
    Unreadable {
        /// The field's wire name.
        field: &'static str,
        /// The file's name.
        name: String,
        /// What the file system said.
        #[source]
        source: Arc<io::Error>,
    },
    /// The file at a path is no longer as long as it was when the request was made.
    #[error("file field `{field}` (`{name}`) was {declared} bytes long when the request was made and is {found} bytes now")]
    LengthChanged {
        /// The field's wire name.
        field: &'static str,
        /// The file's name.
        name: String,
        /// The length when the [`File`] was made, which validation checked.
        declared: u64,
        /// The length now.
        found: u64,
    },
    /// The media type set with [`File::with_media_type`] is not a MIME type.
    #[error("file field `{field}` (`{name}`) has media type {media_type:?}, which is not a MIME type such as `image/png`")]
    InvalidMediaType {
        /// The field's wire name.
        field: &'static str,
        /// The file's name.
        name: String,
        /// The media type as set.
        media_type: String,
    },
}

impl File {
    /// The multipart part of this file as field `field`.
    pub(crate) async fn part(
        &self,
        field: &'static str,
    ) -> Result<reqwest::multipart::Part, FileError> {
        let inner = &*self.inner;
        let name = || inner.name.clone();
        let media_type = self.media_type().unwrap_or(DEFAULT_MEDIA_TYPE);
        // Checked before a stream is taken, so that a bad media type does not use it up.
        if media_type.parse::<mime_guess::mime::Mime>().is_err() {
            return Err(FileError::InvalidMediaType {
                field,
                name: name(),
                media_type: media_type.to_owned(),
            });
        }
        let body = match &inner.source {
            Source::Bytes(bytes) => reqwest::Body::from(bytes.clone()),
            Source::Path(path) => {
                let unreadable = |e: io::Error| FileError::Unreadable {
                    field,
                    name: name(),
                    source: Arc::new(e),
                };
                let file = tokio::fs::File::open(path).await.map_err(unreadable)?;
                let found = file.metadata().await.map_err(unreadable)?.len();
                if found != inner.len {
                    return Err(FileError::LengthChanged {
                        field,
                        name: name(),
                        declared: inner.len,
                        found,
                    });
                }
                reqwest::Body::wrap_stream(exactly(
                    name(),
                    inner.len,
                    tokio_util::io::ReaderStream::new(file),
                ))
            }
            Source::Stream(slot) => {
                let stream = slot
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .take()
                    .ok_or_else(|| FileError::StreamConsumed {
                        field,
                        name: name(),
                    })?;
                reqwest::Body::wrap_stream(exactly(name(), inner.len, stream))
            }
        };
        reqwest::multipart::Part::stream_with_length(body, inner.len)
            .file_name(name())
            .mime_str(media_type)
            .map_err(|_| FileError::InvalidMediaType {
                field,
                name: name(),
                media_type: media_type.to_owned(),
            })
    }
}

/// `stream`, failing when it holds more or fewer than `len` bytes.
fn exactly(
    name: String,
    len: u64,
    stream: impl Stream<Item = io::Result<Bytes>> + Send + 'static,
) -> impl Stream<Item = io::Result<Bytes>> + Send + 'static {
    use futures_util::StreamExt;
    struct State<S> {
        stream: Pin<Box<S>>,
        name: String,
        sent: u64,
        done: bool,
    }
    let state = State {
        stream: Box::pin(stream),
        name,
        sent: 0,
        done: false,
    };
    futures_util::stream::unfold(state, move |mut state| async move {
        if state.done {
            return None;
        }
        let item = match state.stream.next().await {
            Some(Ok(chunk)) => {
                state.sent += chunk.len() as u64;
                if state.sent > len {
                    Err(format!(
                        "file `{}` holds more than its {len} declared bytes",
                        state.name
                    ))
                } else {
                    Ok(chunk)
                }
            }
            Some(Err(e)) => {
                state.done = true;
                return Some((Err(e), state));
            }
            None if state.sent < len => Err(format!(
                "file `{}` ended after {} of {len} declared bytes",
                state.name, state.sent
            )),
            None => return None,
        };
        let item = item.map_err(|message| {
            state.done = true;
            io::Error::new(io::ErrorKind::InvalidData, message)
        });
        Some((item, state))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::stream;

    fn chunks(parts: &[&'static [u8]]) -> impl Stream<Item = io::Result<Bytes>> + Send + 'static {
        stream::iter(
            parts
                .iter()
                .map(|p| Ok(Bytes::from_static(p)))
                .collect::<Vec<_>>(),
        )
    }

    #[test]
    fn debug_shows_name_length_and_media_type_never_the_content() {
        let file = File::from_bytes("photo.png", &b"PRIVATE-CONTENT-4f2a"[..]);
        for shown in [format!("{file:?}"), format!("{file:#?}")] {
            assert!(shown.contains("photo.png"), "{shown}");
            assert!(shown.contains("20"), "{shown}");
            assert!(shown.contains("image/png"), "{shown}");
            assert!(!shown.contains("PRIVATE"), "{shown}");
        }
        let streamed = File::from_stream("a.csv", 3, chunks(&[b"abc"]));
        assert!(format!("{streamed:?}").contains("a.csv"));
    }

    #[test]
    fn media_type_is_set_or_guessed_from_the_extension() {
        let guess = |name: &str| {
            File::from_bytes(name, Vec::new())
                .media_type()
                .map(str::to_owned)
        };
        assert_eq!(guess("a.jpg").as_deref(), Some("image/jpeg"));
        assert_eq!(guess("a.JPEG").as_deref(), Some("image/jpeg"));
        assert_eq!(guess("a.png").as_deref(), Some("image/png"));
        assert_eq!(guess("a.gif").as_deref(), Some("image/gif"));
        assert_eq!(guess("课表.pdf").as_deref(), Some("application/pdf"));
        assert_eq!(guess("README"), None);
        assert_eq!(guess("a.no-such-extension"), None);
        let set = File::from_bytes("a.bin", Vec::new()).with_media_type("text/csv");
        assert_eq!(set.media_type(), Some("text/csv"));
    }

    #[test]
    fn extension_is_lower_cased() {
        let ext = |name: &str| File::from_bytes(name, Vec::new()).extension();
        assert_eq!(ext("Photo.JPG").as_deref(), Some("jpg"));
        assert_eq!(ext("archive.tar.gz").as_deref(), Some("gz"));
        assert_eq!(ext("README"), None);
        assert_eq!(ext(".bashrc"), None);
    }

    #[test]
    fn equality_by_content_path_or_stream_identity() {
        let a = File::from_bytes("a.png", vec![1, 2, 3]);
        assert_eq!(a, File::from_bytes("a.png", vec![1, 2, 3]));
        assert_ne!(a, File::from_bytes("a.png", vec![1, 2, 4]));
        assert_ne!(a, File::from_bytes("b.png", vec![1, 2, 3]));
        assert_ne!(a, a.clone().with_media_type("image/gif"));

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.png");
        std::fs::write(&path, [1, 2, 3]).unwrap();
        let p = File::from_path(&path).unwrap();
        assert_eq!(p, File::from_path(&path).unwrap());
        assert_ne!(p, a, "a path and bytes are different sources");

        let s = File::from_stream("a.png", 3, chunks(&[b"\x01\x02\x03"]));
        assert_eq!(s, s.clone());
        assert_ne!(s, File::from_stream("a.png", 3, chunks(&[b"\x01\x02\x03"])));
        assert_ne!(s, a);
    }

    #[test]
    fn from_path_takes_name_and_length_from_the_file_system() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Scan 1.PDF");
        std::fs::write(&path, vec![7u8; 1234]).unwrap();
        let file = File::from_path(&path).unwrap();
        assert_eq!(file.name(), "Scan 1.PDF");
        assert_eq!(file.len(), 1234);
        assert_eq!(file.media_type(), Some("application/pdf"));

        let missing = File::from_path(dir.path().join("missing.png")).unwrap_err();
        assert_eq!(missing.kind(), io::ErrorKind::NotFound);
        let directory = File::from_path(dir.path()).unwrap_err();
        assert_eq!(directory.kind(), io::ErrorKind::InvalidInput);
    }

    #[test]
    fn serializes_as_a_summary_and_never_deserializes() {
        let file = File::from_bytes("a.png", vec![0u8; 5]);
        assert_eq!(
            serde_json::to_value(&file).unwrap(),
            serde_json::json!({"name": "a.png", "len": 5, "media_type": "image/png"})
        );
        let e = serde_json::from_str::<File>(r#"{"name":"a.png","len":5}"#).unwrap_err();
        assert!(
            e.to_string()
                .contains("a file cannot be read back from serialized data"),
            "{e}"
        );
    }

    #[cfg(feature = "testing")]
    #[test]
    fn only_a_part_a_fake_vendor_received_reads_as_a_file() {
        for data in [r#"["x","a.png",null,[1]]"#, r#""a.png""#, "[]"] {
            let e = serde_json::from_str::<File>(data).unwrap_err();
            assert!(e.to_string().contains("cannot be read back"), "{data}: {e}");
        }
        let received = serde_json::json!([RECEIVED_FILE, "a.png", "image/png", [1, 2]]);
        let file: File = serde_json::from_value(received).unwrap();
        assert_eq!(file, File::from_bytes("a.png", vec![1u8, 2]));
    }

    #[tokio::test]
    async fn a_stream_is_sent_once_then_fails_with_a_typed_error() {
        let file = File::from_stream("a.csv", 3, chunks(&[b"a", b"bc"]));
        let again = file.clone();
        file.part("Filedata").await.unwrap();
        match again.part("Filedata").await {
            Err(FileError::StreamConsumed { field, name }) => {
                assert_eq!((field, name.as_str()), ("Filedata", "a.csv"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn bytes_and_paths_can_be_sent_again() {
        let bytes = File::from_bytes("a.png", vec![1, 2, 3]);
        bytes.part("f").await.unwrap();
        bytes.part("f").await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.png");
        std::fs::write(&path, [1, 2, 3]).unwrap();
        let file = File::from_path(&path).unwrap();
        file.part("f").await.unwrap();
        file.part("f").await.unwrap();
    }

    #[tokio::test]
    async fn a_path_whose_length_changed_or_that_vanished_is_a_typed_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.png");
        std::fs::write(&path, [1, 2, 3]).unwrap();
        let file = File::from_path(&path).unwrap();
        std::fs::write(&path, [1, 2, 3, 4]).unwrap();
        assert!(matches!(
            file.part("f").await,
            Err(FileError::LengthChanged {
                declared: 3,
                found: 4,
                ..
            })
        ));
        std::fs::remove_file(&path).unwrap();
        match file.part("f").await {
            Err(e @ FileError::Unreadable { .. }) => {
                assert!(e.to_string().contains("`a.png`"), "{e}")
            }
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn an_invalid_media_type_is_a_typed_error_and_keeps_the_stream() {
        let file = File::from_stream("a.csv", 1, chunks(&[b"a"])).with_media_type("not a type");
        assert!(matches!(
            file.part("f").await,
            Err(FileError::InvalidMediaType { .. })
        ));
        let fixed = File {
            inner: Arc::new(Inner {
                media_type: None,
                ..(*file.inner).clone()
            }),
        };
        fixed.part("f").await.unwrap();
    }

    async fn collect(s: impl Stream<Item = io::Result<Bytes>>) -> Result<Vec<u8>, String> {
        use futures_util::StreamExt;
        let mut out = Vec::new();
        let mut s = std::pin::pin!(s);
        while let Some(chunk) = s.next().await {
            out.extend_from_slice(&chunk.map_err(|e| e.to_string())?);
        }
        Ok(out)
    }

    #[tokio::test]
    async fn a_stream_must_hold_exactly_its_declared_length() {
        let exact = exactly("a.csv".into(), 3, chunks(&[b"a", b"bc"]));
        assert_eq!(collect(exact).await.unwrap(), b"abc");
        let short = collect(exactly("a.csv".into(), 5, chunks(&[b"a", b"bc"])))
            .await
            .unwrap_err();
        assert!(
            short.contains("ended after 3 of 5 declared bytes"),
            "{short}"
        );
        let long = collect(exactly("a.csv".into(), 2, chunks(&[b"a", b"bc"])))
            .await
            .unwrap_err();
        assert!(long.contains("more than its 2 declared bytes"), "{long}");
        assert!(long.contains("`a.csv`"), "{long}");
    }
}
