package charte

// Chain appends recs, in order, to the consent log whose last record is
// head: it numbers each record after the one before (Seq), links it to that
// record's hash (PrevHash) and seals it with [Record.ComputeHash] (Hash). It
// returns the log's new head, which is head itself when recs is empty.
//
// Both stores chain through this one function, so that a log written by
// either one verifies with [ChainVerifier] and [LogVerifier]. The caller must
// hold the log's write lock from reading head until the records and the new
// head are committed, or two appends would chain to the same head.
func Chain(head LogHead, recs []*Record) LogHead {
	for _, r := range recs {
		r.Seq = head.Seq + 1
		r.PrevHash = head.Hash
		r.Hash = r.ComputeHash()
		head = LogHead{Seq: r.Seq, ID: r.ID, Hash: r.Hash}
	}
	return head
}
