//! auth0-migrate: finds code that uses deprecated Auth0 features and rewrites it to the
//! replacement Auth0's migration guides document.
//!
//! The pipeline: [`walk`] the paths, skip files without any rule's trigger literal
//! ([`prefilter`]), lower each remaining file through its [`lang`] adapter into the
//! language-neutral [`model`], run the [`rules`] on it, then report the findings or
//! apply their fixes ([`fix`]).

pub mod baseline;
pub mod catalogue;
pub mod config;
pub mod finding;
pub mod fix;
pub mod lang;
pub mod lint;
pub mod model;
pub mod prefilter;
pub mod project;
pub mod report;
pub mod rules;
pub mod run;
pub mod source;
pub mod suppress;
pub mod walk;
