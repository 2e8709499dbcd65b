//! Link graphs drawn as inline SVG at build time, so pages need no
//! JavaScript: a note's neighbourhood (the note in the middle, its
//! neighbours on an ellipse around it) and the site graph (notes on a
//! circle with radial labels, links as curves through the middle).
//!
//! Pure drawing: it receives labels, collection names and index pairs and
//! returns SVG text; choosing what to draw is `graphs`. Layouts are
//! circular and placed in a fixed order, every coordinate is rounded to
//! one decimal, and every label is escaped, so the same input gives the
//! same bytes. Colours come from the theme's `c-<collection>` classes.

use std::f64::consts::PI;
use std::fmt::Write;

use crate::markdown::push_escaped;

/// One node to draw.
#[derive(Debug, Clone, Copy)]
pub struct Node<'a> {
    /// Its label (a note title).
    pub label: &'a str,
    /// Its collection, for the `c-<collection>` colour class (may be empty).
    pub collection: &'a str,
    /// How many links it has, for its size.
    pub degree: usize,
}

/// The accessible name of a drawing.
#[derive(Debug, Clone, Copy)]
pub struct Caption<'a> {
    /// The `id` of the SVG's `<title>`.
    pub id: &'a str,
    /// The `<title>` text.
    pub text: &'a str,
}

/// Labels longer than this are shortened (the full title is a tooltip).
const LABEL_CHARS: usize = 22;

/// A label too long to show whole: its first `LABEL_CHARS - 1`
/// characters, trailing spaces trimmed (the caller adds `…`). A slice of
/// the label, so drawing a node allocates nothing for it.
fn cut(label: &str) -> Option<&str> {
    if label.len() <= LABEL_CHARS {
        // No more characters than bytes.
        return None;
    }
    let mut starts = label.char_indices().map(|(i, _)| i);
    let end = starts.nth(LABEL_CHARS - 1)?;
    // Cut only if there is a character past the `LABEL_CHARS`th: that
    // many fit whole.
    starts.next()?;
    Some(label[..end].trim_end())
}

/// Appends `v` rounded to one decimal, from integer tenths: no float
/// formatting, so it is fast and the same on every platform.
fn push_num(out: &mut String, v: f64) {
    let tenths = round(v * 10.0);
    if tenths < 0 {
        out.push('-');
    }
    let t = tenths.unsigned_abs();
    out.push_str(itoa::Buffer::new().format(t / 10));
    out.push('.');
    out.push(char::from(b'0' + (t % 10) as u8));
}

/// `x.round() as i64` (half away from zero; saturating, NaN as 0)
/// without the call to the C library's `round` that `f64::round` makes
/// on a baseline x86-64: the fraction left by truncating is exact.
fn round(x: f64) -> i64 {
    let t = x as i64;
    let frac = x - t as f64;
    if frac >= 0.5 {
        t.saturating_add(1)
    } else if frac <= -0.5 {
        t.saturating_sub(1)
    } else {
        t
    }
}

/// Appends ` name="v"` with a one-decimal number.
fn attr(out: &mut String, name: &str, v: f64) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    push_num(out, v);
    out.push('"');
}

/// Appends a path: `M x y` then `L x y` or `Q kx ky x y`.
fn path(out: &mut String, class: &str, points: &[(f64, f64)]) {
    out.push_str("<path");
    if !class.is_empty() {
        out.push_str(" class=\"");
        out.push_str(class);
        out.push('"');
    }
    out.push_str(" d=\"M");
    for (i, &(x, y)) in points.iter().enumerate() {
        match (i, points.len()) {
            (0, _) => {}
            (1, 2) => out.push('L'),
            (1, _) => out.push('Q'),
            _ => out.push(' '),
        }
        push_num(out, x);
        out.push(' ');
        push_num(out, y);
    }
    out.push_str("\"/>");
}

fn open(out: &mut String, class: &str, w: u32, h: u32, caption: Caption<'_>) {
    let _ = write!(
        out,
        "<svg class=\"{class}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\""
    );
    push_escaped(out, caption.id);
    out.push_str("\"><title id=\"");
    push_escaped(out, caption.id);
    out.push_str("\">");
    push_escaped(out, caption.text);
    out.push_str("</title>");
}

/// A node's circle and label; `anchor` is `start`, `middle` or `end`;
/// `rotate` turns the label about the node (degrees).
struct Place {
    x: f64,
    y: f64,
    lx: f64,
    ly: f64,
    anchor: &'static str,
    rotate: Option<f64>,
}

fn node(out: &mut String, n: &Node<'_>, p: &Place, r: f64, extra_class: &str) {
    out.push_str("<g class=\"");
    if n.collection.is_empty() {
        out.push_str(extra_class.trim_start());
    } else {
        out.push_str("c-");
        push_escaped(out, n.collection);
        out.push_str(extra_class);
    }
    out.push_str("\"><circle");
    attr(out, "cx", p.x);
    attr(out, "cy", p.y);
    attr(out, "r", r);
    out.push_str("/>");
    let label = cut(n.label);
    if label.is_some() {
        out.push_str("<title>");
        push_escaped(out, n.label);
        out.push_str("</title>");
    }
    out.push_str("<text");
    attr(out, "x", p.lx);
    attr(out, "y", p.ly);
    if p.anchor != "start" {
        out.push_str(" text-anchor=\"");
        out.push_str(p.anchor);
        out.push('"');
    }
    if let Some(deg) = p.rotate {
        out.push_str(" transform=\"rotate(");
        push_num(out, deg);
        out.push(' ');
        push_num(out, p.x);
        out.push(' ');
        push_num(out, p.y);
        out.push_str(")\"");
    }
    out.push('>');
    match label {
        Some(label) => {
            push_escaped(out, label);
            out.push('…');
        }
        None => push_escaped(out, n.label),
    }
    out.push_str("</text></g>");
}

/// A note's neighbourhood: `nodes[0]` in the middle, the others on an
/// ellipse in the given order; `edges` are index pairs (an edge touching
/// 0 is drawn straight, others curve towards the middle).
pub fn neighbourhood(nodes: &[Node<'_>], edges: &[(usize, usize)], caption: Caption<'_>) -> String {
    const W: f64 = 600.0;
    const H: f64 = 360.0;
    let (cx, cy, rx, ry) = (W / 2.0, H / 2.0, 160.0, 140.0);
    let ring = nodes.len().saturating_sub(1).max(1) as f64;
    let places: Vec<Place> = (0..nodes.len())
        .map(|i| {
            if i == 0 {
                return Place {
                    x: cx,
                    y: cy,
                    lx: cx,
                    ly: cy + 24.0,
                    anchor: "middle",
                    rotate: None,
                };
            }
            let a = -PI / 2.0 + 2.0 * PI * (i - 1) as f64 / ring;
            let (x, y) = (cx + rx * a.cos(), cy + ry * a.sin());
            let (anchor, lx, ly) = if a.cos() > 0.3 {
                ("start", x + 9.0, y + 4.0)
            } else if a.cos() < -0.3 {
                ("end", x - 9.0, y + 4.0)
            } else if a.sin() < 0.0 {
                ("middle", x, y - 10.0)
            } else {
                ("middle", x, y + 18.0)
            };
            Place {
                x,
                y,
                lx,
                ly,
                anchor,
                rotate: None,
            }
        })
        .collect();
    let mut out = String::with_capacity(400 + nodes.len() * 160 + edges.len() * 60);
    open(&mut out, "graph graph-note", W as u32, H as u32, caption);
    out.push_str("<g class=\"edges\">");
    for &(a, b) in edges {
        let (Some(p), Some(q)) = (places.get(a), places.get(b)) else {
            continue;
        };
        if a == 0 || b == 0 {
            path(&mut out, "", &[(p.x, p.y), (q.x, q.y)]);
        } else {
            let (mx, my) = ((p.x + q.x) / 2.0, (p.y + q.y) / 2.0);
            let (kx, ky) = ((mx + cx) / 2.0, (my + cy) / 2.0);
            path(&mut out, "far", &[(p.x, p.y), (kx, ky), (q.x, q.y)]);
        }
    }
    out.push_str("</g><g class=\"nodes\">");
    for (i, (n, p)) in nodes.iter().zip(&places).enumerate() {
        if i == 0 {
            node(&mut out, n, p, 9.0, " centre");
        } else {
            node(&mut out, n, p, 4.0 + (n.degree as f64).sqrt().min(5.0), "");
        }
    }
    out.push_str("</g></svg>");
    out
}

/// The site graph: nodes on a circle in the given order, labels radial,
/// edges as curves through the middle.
pub fn site(nodes: &[Node<'_>], edges: &[(usize, usize)], caption: Caption<'_>) -> String {
    const S: f64 = 900.0;
    let (c, r) = (S / 2.0, 300.0);
    let count = nodes.len().max(1) as f64;
    let places: Vec<Place> = (0..nodes.len())
        .map(|i| {
            let a = -PI / 2.0 + 2.0 * PI * i as f64 / count;
            let (x, y) = (c + r * a.cos(), c + r * a.sin());
            let deg = a.to_degrees();
            // Labels on the left half are turned over so they read left to right.
            let (anchor, rot, off) = if a.cos() >= 0.0 {
                ("start", deg, 10.0)
            } else {
                ("end", deg + 180.0, -10.0)
            };
            let (lx, ly) = (x + off, y + 3.5);
            Place {
                x,
                y,
                lx,
                ly,
                anchor,
                rotate: Some(rot),
            }
        })
        .collect();
    let mut out = String::with_capacity(400 + nodes.len() * 200 + edges.len() * 60);
    open(&mut out, "graph graph-site", S as u32, S as u32, caption);
    out.push_str("<g class=\"edges\">");
    for &(a, b) in edges {
        let (Some(p), Some(q)) = (places.get(a), places.get(b)) else {
            continue;
        };
        // Curves bend towards the middle, more for nodes far apart.
        let (kx, ky) = (
            c + (p.x + q.x - 2.0 * c) * 0.2,
            c + (p.y + q.y - 2.0 * c) * 0.2,
        );
        path(&mut out, "", &[(p.x, p.y), (kx, ky), (q.x, q.y)]);
    }
    out.push_str("</g><g class=\"nodes\">");
    for (n, p) in nodes.iter().zip(&places) {
        node(&mut out, n, p, 2.5 + (n.degree as f64).sqrt().min(6.0), "");
    }
    out.push_str("</g></svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shortening as first written: whole characters, then `…`.
    fn by_chars(label: &str) -> Option<String> {
        if label.chars().count() <= LABEL_CHARS {
            return None;
        }
        let kept: String = label.chars().take(LABEL_CHARS - 1).collect();
        Some(format!("{}…", kept.trim_end()))
    }

    #[test]
    fn round_is_f64_round_as_i64_at_the_edges() {
        for x in [
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.5,
            -1.5,
            2.5,
            -2.5,
            0.49999999999999994,
            -0.49999999999999994,
            4503599627370495.5,
            4503599627370497.0,
            9.3e18,
            -9.3e18,
            f64::MAX,
            f64::MIN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
        ] {
            assert_eq!(round(x), x.round() as i64, "{x:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn round_is_f64_round_as_i64(x in proptest::num::f64::ANY, tenths in -100_000i64..100_000) {
            proptest::prop_assert_eq!(round(x), x.round() as i64);
            // The coordinates drawn: near a half-tenth, where rounding turns.
            let near = tenths as f64 / 10.0 + 0.05;
            proptest::prop_assert_eq!(round(near * 10.0), (near * 10.0).round() as i64);
        }

        #[test]
        fn any_label_is_cut_as_by_counting_characters(label in "[a-z é阿\\t]{0,40}") {
            let now = cut(&label).map(|c| format!("{c}…"));
            proptest::prop_assert_eq!(now, by_chars(&label));
        }
    }

    #[test]
    fn long_labels_are_cut_as_before() {
        for label in [
            "",
            "NetEase",
            "exactly twenty-two chr",
            "exactly twenty-three c.",
            "A very long title that will not fit in the label",
            "twenty-one characters then a space",
            "阿里巴巴集团控股有限公司阿里巴巴集团控股有限公司",
            "阿里巴巴集团控股有限公司阿里巴巴集团控股有",
            "阿里巴巴集团控股有限公司阿里巴巴集团控股有限",
            "Ünïcödé títlé thät ïs löng énöügh",
            "twenty-one chars    then spaces",
        ] {
            let now = cut(label).map(|c| format!("{c}…"));
            assert_eq!(now, by_chars(label), "{label}");
        }
    }

    fn n<'a>(label: &'a str, collection: &'a str) -> Node<'a> {
        Node {
            label,
            collection,
            degree: 4,
        }
    }

    #[test]
    fn neighbourhood_is_escaped_rounded_and_labelled() {
        let nodes = [
            n("Alibaba <Group>", "companies"),
            n("NetEase", "companies"),
            n(
                "A very long title that will not fit in the label",
                "stories",
            ),
            n("About", ""),
        ];
        let cap = Caption {
            id: "g-title",
            text: "Links of \"Alibaba\"",
        };
        let svg = neighbourhood(&nodes, &[(0, 1), (0, 2), (1, 2)], cap);
        assert!(svg.starts_with("<svg class=\"graph graph-note\""));
        assert!(svg.contains("role=\"img\" aria-labelledby=\"g-title\"><title id=\"g-title\">Links of &quot;Alibaba&quot;</title>"));
        assert!(svg.contains("Alibaba &lt;Group&gt;"));
        assert!(svg.contains("<title>A very long title that will not fit in the label</title>"));
        assert!(svg.contains(">A very long title tha…</text>"));
        assert!(svg.contains("class=\"far\""));
        assert!(svg.contains("<g class=\"c-companies centre\"><circle cx=\"300.0\" cy=\"180.0\""));
        // Every number has exactly one decimal.
        for part in svg.split(['"', ' ', 'M', 'L', 'Q']) {
            if let Ok(v) = part.parse::<f64>() {
                if part.contains('.') {
                    let mut again = String::new();
                    push_num(&mut again, v);
                    assert_eq!(part, again, "{part}");
                }
            }
        }
        assert_eq!(svg, neighbourhood(&nodes, &[(0, 1), (0, 2), (1, 2)], cap));
    }

    #[test]
    fn numbers_have_one_decimal_and_no_negative_zero() {
        let text = |v: f64| {
            let mut s = String::new();
            push_num(&mut s, v);
            s
        };
        assert_eq!(text(0.0), "0.0");
        assert_eq!(text(-0.04), "0.0");
        assert_eq!(text(-1.26), "-1.3");
        assert_eq!(text(438.5641), "438.6");
        assert_eq!(text(1234567.0), "1234567.0");
    }

    #[test]
    fn site_graph_turns_left_labels_over() {
        let nodes = [n("A", "x"), n("B", "x"), n("C", "y"), n("D", "y")];
        let cap = Caption {
            id: "site-graph",
            text: "All",
        };
        let svg = site(&nodes, &[(0, 2)], cap);
        assert!(svg.contains("text-anchor=\"end\""));
        assert!(svg.contains("rotate("));
        assert_eq!(svg.matches("<circle").count(), 4);
        assert_eq!(svg.matches("<path").count(), 1);
    }
}
