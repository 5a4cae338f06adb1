//! Statistics and downloads.
