//! Fixed vocabularies the generator draws from. Changing any list changes
//! every corpus, so benchmark figures are only comparable across commits
//! that leave this file alone.

/// Syllables of company names (consonant + vowel).
pub const COMPANY_SYLLABLES: [&str; 16] = [
    "ka", "lo", "mi", "ra", "ve", "to", "su", "ne", "da", "ri", "po", "fe", "zu", "ha", "gi", "ba",
];

/// Syllables of surnames (consonant + vowel + consonant), so a surname can
/// never spell a company name.
pub const SURNAME_SYLLABLES: [&str; 16] = [
    "tor", "van", "mel", "sik", "dun", "par", "hol", "zen", "bri", "cas", "lin", "mor", "fen",
    "gal", "rus", "wen",
];

/// Given names of people.
pub const GIVEN_NAMES: [&str; 24] = [
    "Mira", "Jonas", "Li", "Aiko", "Tomas", "Nadia", "Wei", "Farah", "Pavel", "Ines", "Kenji",
    "Olga", "Ravi", "Sofia", "Chen", "Amara", "Diego", "Yuki", "Hana", "Marek", "Lena", "Omar",
    "Zhou", "Elif",
];

/// Suffixes of company titles; an alias uses a different one.
pub const COMPANY_SUFFIXES: [&str; 6] = [
    "Holdings",
    "Group",
    "Technologies",
    "Industries",
    "Networks",
    "Systems",
];

/// What companies do (never a topic's title, which would read as an
/// unlinked mention of the topic).
pub const SECTORS: [&str; 12] = [
    "e-commerce",
    "cloud services",
    "semiconductor",
    "electric vehicle",
    "payments",
    "gaming",
    "logistics",
    "telecommunications",
    "biotechnology",
    "battery",
    "social media",
    "industrial software",
];

/// Where companies are based.
pub const CITIES: [&str; 12] = [
    "Hangzhou",
    "Shenzhen",
    "Beijing",
    "Shanghai",
    "Guangzhou",
    "Chengdu",
    "Wuhan",
    "Suzhou",
    "Nanjing",
    "Xiamen",
    "Hefei",
    "Tianjin",
];

/// Job titles.
pub const ROLES: [&str; 8] = [
    "Chief executive",
    "Chairman",
    "Chief financial officer",
    "Chief technology officer",
    "President",
    "Head of cloud",
    "Head of research",
    "Executive vice-chairman",
];

/// Topics that have notes.
pub const TOPICS: [&str; 30] = [
    "Artificial Intelligence",
    "Cloud Computing",
    "Semiconductor Supply",
    "Export Controls",
    "Platform Regulation",
    "Data Privacy",
    "Electric Vehicles",
    "Battery Materials",
    "Renewable Energy",
    "Digital Payments",
    "E-commerce Logistics",
    "Cross-border Trade",
    "Antitrust Enforcement",
    "Venture Funding",
    "Initial Public Offerings",
    "Labour Markets",
    "Consumer Spending",
    "Smart Manufacturing",
    "Telecom Networks",
    "Satellite Internet",
    "Online Gaming",
    "Short Video",
    "Ride Hailing",
    "Food Delivery",
    "Biotech Research",
    "Medical Devices",
    "Property Markets",
    "Local Government Finance",
    "Industrial Policy",
    "Open-source Software",
];

/// Topics referenced but never written: `stubs: true` makes pages of them.
pub const MISSING_TOPICS: [&str; 6] = [
    "Quantum Computing",
    "Rare Earths",
    "Autonomous Driving",
    "Green Hydrogen",
    "Digital Currency",
    "Robotics Automation",
];

/// Headline verbs.
pub const HEADLINE_VERBS: [&str; 10] = [
    "doubles down on",
    "rethinks",
    "bets on",
    "scales back",
    "expands",
    "restructures",
    "invests in",
    "faces scrutiny over",
    "reports growth in",
    "sets targets for",
];

/// Publications a story can cite.
pub const SOURCES: [&str; 6] = [
    "Wire Service",
    "Ledger Daily",
    "Harbour Post",
    "Metro Tribune",
    "Market Herald",
    "Evening Courier",
];

/// Nouns of prose.
pub const NOUNS: [&str; 20] = [
    "investment",
    "spending",
    "demand",
    "capacity",
    "pricing",
    "competition",
    "revenue",
    "margins",
    "hiring",
    "research",
    "exports",
    "supply chains",
    "data centres",
    "subsidies",
    "partnerships",
    "user growth",
    "licensing",
    "compliance costs",
    "chip orders",
    "market share",
];

/// Adjectives of prose.
pub const ADJECTIVES: [&str; 14] = [
    "steady",
    "aggressive",
    "cautious",
    "renewed",
    "sharp",
    "modest",
    "sustained",
    "uneven",
    "record",
    "limited",
    "broad",
    "targeted",
    "long-term",
    "faster",
];

/// Verbs of reported speech.
pub const SAYING: [&str; 8] = [
    "said",
    "told investors",
    "confirmed",
    "argued",
    "signalled",
    "acknowledged",
    "indicated",
    "stressed",
];

/// Actions in the future tense, after "would".
pub const ACTIONS: [&str; 10] = [
    "increase",
    "reduce",
    "reorganise",
    "accelerate",
    "review",
    "protect",
    "expand",
    "consolidate",
    "prioritise",
    "rebuild",
];

/// Who reacts.
pub const GROUPS: [&str; 10] = [
    "regulators",
    "analysts",
    "rival platforms",
    "suppliers",
    "local officials",
    "investors",
    "smaller competitors",
    "industry groups",
    "customers",
    "employees",
];

/// Past actions.
pub const PAST_ACTIONS: [&str; 8] = [
    "questioned",
    "welcomed",
    "tracked",
    "pushed back against",
    "anticipated",
    "studied",
    "criticised",
    "supported",
];

/// When.
pub const TIMES: [&str; 10] = [
    "over the next two years",
    "this quarter",
    "by the end of the year",
    "in the coming months",
    "before the next earnings report",
    "within five years",
    "as early as next spring",
    "through the rest of the decade",
    "over the medium term",
    "after a slow start",
];

/// Where.
pub const REGIONS: [&str; 8] = [
    "the Yangtze River Delta",
    "southern China",
    "South-east Asia",
    "Europe",
    "the Middle East",
    "Latin America",
    "the domestic market",
    "coastal provinces",
];

/// Why.
pub const REASONS: [&str; 8] = [
    "weaker consumer demand",
    "new export rules",
    "rising energy costs",
    "policy support from Beijing",
    "a tighter funding market",
    "stronger cloud demand",
    "pressure on margins",
    "a crowded market",
];

/// Research firms quoted in prose.
pub const FIRMS: [&str; 6] = [
    "Northgate Research",
    "Bayline Securities",
    "Crestview Capital",
    "Pillar Analytics",
    "Redwood Partners",
    "Eastfield Advisory",
];

/// Table rows.
pub const METRICS: [&str; 6] = [
    "Revenue (bn yuan)",
    "Operating margin (%)",
    "R&D spending (bn yuan)",
    "Headcount (thousands)",
    "Capital spending (bn yuan)",
    "Active users (millions)",
];
