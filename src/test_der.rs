//! DER mutation for tests: random byte changes, and structural changes of a DER
//! tree that keep every length right, to compare two decoders on inputs near
//! valid ones (`cert.rs`: the certificate reader against x509-cert;
//! `timestamp.rs`: the token parser against `cms`).

use der::{Encode, Reader, SliceReader};

/// Tags structural mutation retags or inserts elements with.
const TAGS: [u8; 16] = [
    0x80, 0x81, 0x82, 0x83, 0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0x01, 0x02, 0x04, 0x05, 0x30, 0x31, 0x1F,
];

/// `der` with one to three bytes changed, inserted or deleted.
pub(crate) fn mutate_bytes(der: &[u8], next: &mut impl FnMut() -> u64) -> Vec<u8> {
    let mut m = der.to_vec();
    for _ in 0..=(next() % 3) {
        if m.is_empty() {
            break;
        }
        let at = (next() % m.len() as u64) as usize;
        match next() % 8 {
            0 => m.insert(at, next() as u8),
            1 => {
                m.remove(at);
            }
            _ => m[at] = next() as u8,
        }
    }
    m
}

/// `tree` encoded after one or two structural changes, lengths kept right:
/// an element duplicated, removed, swapped with the next, retagged
/// (context-specific, primitive/constructed, unknown), or a new element
/// inserted, anywhere in the tree.
pub(crate) fn mutate_tree(tree: &[Node], next: &mut impl FnMut() -> u64) -> Vec<u8> {
    let mut m = tree.to_vec();
    for _ in 0..=(next() % 2) {
        let mut lists = Vec::new();
        Node::lists(&m, &mut Vec::new(), &mut lists);
        let path = &lists[(next() % lists.len() as u64) as usize];
        let list = Node::list_at(&mut m, path);
        if list.is_empty() {
            list.push(Node::Leaf(0x05, vec![]));
            continue;
        }
        let at = (next() % list.len() as u64) as usize;
        match next() % 7 {
            0 => {
                let copy = list[at].clone();
                list.insert(at, copy);
            }
            1 => {
                list.remove(at);
            }
            2 if at + 1 < list.len() => list.swap(at, at + 1),
            3 | 4 => {
                let tag = TAGS[(next() % TAGS.len() as u64) as usize];
                match &mut list[at] {
                    Node::Leaf(t, _) | Node::Tree(t, _) => *t = tag,
                }
            }
            _ => {
                let tag = TAGS[(next() % TAGS.len() as u64) as usize];
                let body = match tag {
                    0x01 => vec![[0x00, 0xFF, 0x01][(next() % 3) as usize]],
                    0x02 => vec![(next() % 3) as u8],
                    _ => vec![(next() % 256) as u8; (next() % 3) as usize],
                };
                list.insert(at, Node::Leaf(tag, body));
            }
        }
    }
    let mut bytes = Vec::new();
    m.iter().for_each(|n| n.encode(&mut bytes));
    bytes
}

/// The content octets of one TLV.
pub(crate) fn value_bytes(tlv: &[u8]) -> Option<&[u8]> {
    let mut reader = SliceReader::new(tlv).ok()?;
    let header: der::Header = reader.decode().ok()?;
    reader.read_slice(header.length).ok()
}

/// A DER tree for structural mutation: constructed elements keep children.
#[derive(Clone, PartialEq)]
pub(crate) enum Node {
    Leaf(u8, Vec<u8>),
    Tree(u8, Vec<Node>),
}

impl Node {
    /// The tree of `der`, a sequence of TLVs; panics on anything else.
    pub(crate) fn parse(der: &[u8]) -> Vec<Node> {
        Node::try_parse(der).expect("a sequence of DER TLVs")
    }

    /// The tree of `der`, or `None` when it is not a sequence of TLVs.
    pub(crate) fn try_parse(der: &[u8]) -> Option<Vec<Node>> {
        let mut out = Vec::new();
        let mut reader = SliceReader::new(der).ok()?;
        while !reader.is_finished() {
            let tlv = reader.tlv_bytes().ok()?;
            let tag = tlv[0];
            let body = value_bytes(tlv)?;
            // Constructed universal/context elements whose content parses as
            // TLVs become trees (BIT/OCTET STRING contents stay leaves).
            let nested = tag & 0x20 != 0 && {
                let mut r = SliceReader::new(body).ok()?;
                let mut ok = true;
                while ok && !r.is_finished() {
                    ok = r.tlv_bytes().is_ok();
                }
                ok
            };
            out.push(if nested {
                Node::Tree(tag, Node::try_parse(body)?)
            } else {
                Node::Leaf(tag, body.to_vec())
            });
        }
        Some(out)
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        let (tag, body) = match self {
            Node::Leaf(tag, body) => (*tag, body.clone()),
            Node::Tree(tag, children) => {
                let mut body = Vec::new();
                children.iter().for_each(|c| c.encode(&mut body));
                (*tag, body)
            }
        };
        out.push(tag);
        out.extend(der::Length::try_from(body.len()).unwrap().to_der().unwrap());
        out.extend(body);
    }

    /// The path (child indexes) of every list of children, depth first.
    fn lists(nodes: &[Node], path: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        out.push(path.clone());
        for (i, node) in nodes.iter().enumerate() {
            if let Node::Tree(_, children) = node {
                path.push(i);
                Node::lists(children, path, out);
                path.pop();
            }
        }
    }

    /// The list of children at `path`.
    fn list_at<'n>(nodes: &'n mut Vec<Node>, path: &[usize]) -> &'n mut Vec<Node> {
        match path.split_first() {
            None => nodes,
            Some((&i, rest)) => match &mut nodes[i] {
                Node::Tree(_, children) => Node::list_at(children, rest),
                Node::Leaf(..) => unreachable!("paths lead to trees"),
            },
        }
    }
}
