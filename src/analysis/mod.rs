//! Analysis over the store's tables: trend figures per period (Monroe et al. 2008), bursts
//! (Kleinberg 2002), trend topics (bibliometrix), and co-word clusters with Callon's centrality
//! and density (Callon et al. 1991). Each method's module cites its source and states its
//! parameters; this module turns frames into plain inputs and results back into tables.
//!
//! A paper's date is the date it was listed (hf-daily listings) or else its digest's date; a
//! digest dated only to the month counts in month series only.

pub mod bursts;
pub mod coword;
pub mod emerging;
pub mod evolution;
pub mod louvain;
pub mod network;
pub mod people;
pub mod period;
pub mod quality;
mod read;
pub mod series;
pub mod tables;
pub mod topics;
pub mod trends;
pub mod watch;

pub use period::Period;
pub(crate) use read::link_themes;
pub use read::{
    INPUT_COLUMNS, LISTING_COLUMNS, Listing, Listings, PEOPLE_COLUMNS, People, Unit, inputs, listings, people,
};
pub use series::{Appearance, Ids, Input, Series};
pub use tables::{tables, tables_of};

/// Which keywords an analysis counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Origins {
    #[default]
    All,
    Digest,
    /// The section headings an entry is listed under (a keyword table's `## SLAM`).
    Heading,
    Extracted,
}

impl Origins {
    pub(crate) fn admits(self, origin: &str) -> bool {
        match self {
            Origins::All => true,
            Origins::Digest => origin == "digest",
            Origins::Heading => origin == "heading",
            Origins::Extracted => origin == "extracted",
        }
    }
}

/// Every parameter of the analysis, with the defaults the stored tables use.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    pub period: Period,
    pub origins: Origins,
    pub trends: trends::Params,
    pub bursts: bursts::Params,
    pub coword: coword::Params,
    pub min_topic_freq: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            period: Period::default(),
            origins: Origins::default(),
            trends: trends::Params::default(),
            bursts: bursts::Params::default(),
            coword: coword::Params::default(),
            min_topic_freq: topics::MIN_FREQ,
        }
    }
}

/// The keyword and theme inputs of a store.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inputs {
    pub keywords: Input,
    pub themes: Input,
}
