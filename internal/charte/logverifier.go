package charte

import "fmt"

// LogHead is the last record appended to a consent log, which the log keeps
// apart from its records so that verification can see what the hash chain
// alone cannot: records removed from the end, the last record replaced, or
// records added after it from outside charte.
type LogHead struct {
	Seq  int64
	ID   string
	Hash string
}

// LogVerifier checks a whole consent log: its records, fed in log order,
// through a [ChainVerifier], then, at [LogVerifier.End], that the log ends at
// its Head. The zero value, with Head set, is ready to use.
type LogVerifier struct {
	Head LogHead

	chain     ChainVerifier
	chainErr  error  // the first record that broke the chain
	headHash  string // hash of the record at the head's seq, as found
	afterID   string // id of the record just after the head, if any
	afterSeen bool
}

// Next checks one record. It returns a *[ChainError] naming the record if it
// breaks the chain, after which there is no point feeding more records.
func (v *LogVerifier) Next(r *Record) error {
	if err := v.chain.Next(r); err != nil {
		v.chainErr = err
		return err
	}
	switch r.Seq {
	case v.Head.Seq:
		v.headHash = r.Hash
	case v.Head.Seq + 1:
		v.afterID, v.afterSeen = r.ID, true
	}
	return nil
}

// Count returns the number of records that chain, so far.
func (v *LogVerifier) Count() int64 { return v.chain.Count() }

// End returns, once every record has been fed, the number of good records
// and a *[ChainError] at the first bad one: the record that broke the chain,
// or else the one that shows the log does not end at its head.
func (v *LogVerifier) End() (int64, error) {
	head := v.Head
	switch {
	case v.chainErr != nil:
		return v.Count(), v.chainErr
	case v.Count() < head.Seq:
		return v.Count(), &ChainError{Seq: head.Seq, ID: head.ID,
			Reason: fmt.Sprintf("the log ends at record %d, before the last record appended: records at the end of the log were removed", v.Count())}
	case v.headHash != head.Hash:
		return head.Seq - 1, &ChainError{Seq: head.Seq, ID: head.ID,
			Reason: "it is not the last record appended: the end of the log was replaced"}
	case v.afterSeen:
		return head.Seq, &ChainError{Seq: head.Seq + 1, ID: v.afterID,
			Reason: "it comes after the last record appended: it was added to the log from outside"}
	}
	return v.Count(), nil
}
