package mock

import (
	"context"

	"github.com/charte/charte/internal/charte"
)

var _ charte.ConsentLog = (*ConsentLog)(nil)

// ConsentLog is a fake [charte.ConsentLog].
type ConsentLog struct {
	AppendDecisionsFn  func(ctx context.Context, ds []*charte.Decision) ([]*charte.Record, error)
	FindDecisionByIDFn func(ctx context.Context, id string) (*charte.Record, error)
	FindDecisionsFn    func(ctx context.Context, filter charte.DecisionFilter, fn func(*charte.Record) error) error
	VerifyLogFn        func(ctx context.Context) (int64, error)
}

// AppendDecisions calls AppendDecisionsFn.
func (l *ConsentLog) AppendDecisions(ctx context.Context, ds []*charte.Decision) ([]*charte.Record, error) {
	return l.AppendDecisionsFn(ctx, ds)
}

// FindDecisionByID calls FindDecisionByIDFn.
func (l *ConsentLog) FindDecisionByID(ctx context.Context, id string) (*charte.Record, error) {
	return l.FindDecisionByIDFn(ctx, id)
}

// FindDecisions calls FindDecisionsFn.
func (l *ConsentLog) FindDecisions(ctx context.Context, filter charte.DecisionFilter, fn func(*charte.Record) error) error {
	return l.FindDecisionsFn(ctx, filter, fn)
}

// VerifyLog calls VerifyLogFn.
func (l *ConsentLog) VerifyLog(ctx context.Context) (int64, error) { return l.VerifyLogFn(ctx) }

// Recorder is a fake of what appends one decision to the consent log and
// returns once it is durable, as [charte.GroupCommitter] does.
type Recorder struct {
	AppendFn func(ctx context.Context, d *charte.Decision) (*charte.Record, error)
}

// Append calls AppendFn.
func (r *Recorder) Append(ctx context.Context, d *charte.Decision) (*charte.Record, error) {
	return r.AppendFn(ctx, d)
}

var _ charte.CharterService = (*CharterService)(nil)

// CharterService is a fake [charte.CharterService].
type CharterService struct {
	SaveCharterVersionFn  func(ctx context.Context, v *charte.CharterVersion) error
	FindCharterVersionFn  func(ctx context.Context, site, version string) (*charte.CharterVersion, error)
	FindCharterVersionsFn func(ctx context.Context, site string) ([]*charte.CharterVersion, error)
}

// SaveCharterVersion calls SaveCharterVersionFn.
func (s *CharterService) SaveCharterVersion(ctx context.Context, v *charte.CharterVersion) error {
	return s.SaveCharterVersionFn(ctx, v)
}

// FindCharterVersion calls FindCharterVersionFn.
func (s *CharterService) FindCharterVersion(ctx context.Context, site, version string) (*charte.CharterVersion, error) {
	return s.FindCharterVersionFn(ctx, site, version)
}

// FindCharterVersions calls FindCharterVersionsFn.
func (s *CharterService) FindCharterVersions(ctx context.Context, site string) ([]*charte.CharterVersion, error) {
	return s.FindCharterVersionsFn(ctx, site)
}
