package charterfile

import (
	"go.yaml.in/yaml/v3"
)

// maxAliasBytes is how much the aliases of a file may stand for, in bytes
// of YAML, all together: four times the most a file may have. yaml.v3
// bounds the expansion of aliases by nodes, not bytes, and only when it
// decodes into Go values; the node tree that charterfile walks is not
// bounded at all, so one anchored 500 KB string named by thousands of
// aliases made a 1 MB file cost gigabytes.
const maxAliasBytes = 4 * MaxSize

// nodeBytes is what each node counts for besides its value, so that aliases
// of empty values still add up.
const nodeBytes = 2

// aliasSizer measures what the aliases of a node tree stand for, in one
// pass over the tree: the size of each anchored node is computed once, so a
// chain of anchors that each name the one before ten times (the "billion
// laughs") costs a few steps per anchor, not its expansion.
type aliasSizer struct {
	sizes map[*yaml.Node]int64
	// open are the anchored nodes being measured, to catch an alias inside
	// the node it names.
	open map[*yaml.Node]bool
}

// aliasError is an alias at fault: one inside the node it names, or the one
// that brings the file's aliases past maxAliasBytes.
type aliasError struct {
	at    *yaml.Node
	cycle bool
}

// aliases checks, before anything expands them, that the aliases of the
// tree at root stand for at most maxAliasBytes and that none is inside the
// node it names. It reports a problem at the alias at fault and returns
// false when they do not.
func (p *parser) aliases(root *yaml.Node) bool {
	s := aliasSizer{sizes: make(map[*yaml.Node]int64), open: make(map[*yaml.Node]bool)}
	var total int64
	var bad *aliasError
	// Each node of the tree is visited once: aliases are not followed, but
	// measured.
	var visit func(n *yaml.Node)
	visit = func(n *yaml.Node) {
		if bad != nil {
			return
		}
		if n.Kind == yaml.AliasNode {
			size, err := s.size(n)
			if err != nil {
				bad = err
				return
			}
			if total += size; total > maxAliasBytes {
				bad = &aliasError{at: n}
			}
			return
		}
		for _, c := range n.Content {
			visit(c)
		}
	}
	visit(root)
	switch {
	case bad == nil:
		return true
	case bad.cycle:
		p.errorf(bad.at, "alias *%s is inside the value it names, which would repeat without end: write the value out", bad.at.Value)
	default:
		p.errorf(bad.at, "the aliases up to this *%s stand for more than %d MB of YAML, more than a charter may repeat through aliases: write the values out, or name long ones less often", bad.at.Value, maxAliasBytes>>20)
	}
	return false
}

// size returns the bytes of YAML that n stands for: its value, and those
// of its children, aliases expanded. It saturates past maxAliasBytes.
// Anchored nodes are measured once, however they are reached, so that the
// whole measure visits each node of the tree at most once more.
func (s *aliasSizer) size(n *yaml.Node) (int64, *aliasError) {
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			return nodeBytes, nil
		}
		if s.open[n.Alias] {
			return 0, &aliasError{at: n, cycle: true}
		}
		return s.size(n.Alias)
	}
	if n.Anchor != "" {
		if size, ok := s.sizes[n]; ok {
			return size, nil
		}
		s.open[n] = true
		defer delete(s.open, n)
	}
	size := int64(nodeBytes + len(n.Value))
	for _, c := range n.Content {
		cs, err := s.size(c)
		if err != nil {
			return 0, err
		}
		size = min(size+cs, maxAliasBytes+1)
	}
	if n.Anchor != "" {
		s.sizes[n] = size
	}
	return size, nil
}
