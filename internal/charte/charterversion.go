package charte

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// The stored charter version is the charter's JSON form (the json tags of
// [Charter] and the types it holds), indented by two spaces and without
// HTML escaping: the form that charte stored from the start, which every
// version already in a database has. Decoding ignores fields it does not
// know and leaves out missing ones at their zero value, so that a version
// stored by an older charte still reads.

// NewCharterVersion returns the version of ch to keep in a [CharterService],
// so that a receipt can show again what the visitor saw. Its CreatedAt is
// zero: the store sets it to the time of saving (it keeps the first save of
// a version). Returns EINVALID, as [CharterVersion.Validate], when ch has no
// site id or no version.
func NewCharterVersion(ch *Charter) (*CharterVersion, error) {
	if ch == nil {
		return nil, Errorf(EINVALID, "A charter is missing.")
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(ch); err != nil {
		return nil, fmt.Errorf("encode charter %s version %s: %w", ch.Site.ID, ch.Version, err)
	}
	v := &CharterVersion{Site: ch.Site.ID, Version: ch.Version, Content: buf.Bytes()}
	if err := v.Validate(); err != nil {
		return nil, err
	}
	return v, nil
}

// Charter decodes the charter that v keeps, however old. Its Source is ""
// (a stored version comes from no file). It returns an EINTERNAL error when
// the content is not a charter's JSON form, or is the charter of another
// site or version than v says: the stored content was damaged.
func (v *CharterVersion) Charter() (*Charter, error) {
	var ch Charter
	if err := json.Unmarshal(v.Content, &ch); err != nil {
		return nil, &Error{Code: EINTERNAL, Message: "A stored charter version cannot be read.", Err: fmt.Errorf("decode charter %s version %s: %w", v.Site, v.Version, err)}
	}
	if ch.Site.ID != v.Site || ch.Version != v.Version {
		return nil, &Error{Code: EINTERNAL, Message: "A stored charter version cannot be read.", Err: fmt.Errorf("decode charter %s version %s: the content is version %s of site %s", v.Site, v.Version, ch.Version, ch.Site.ID)}
	}
	return &ch, nil
}
