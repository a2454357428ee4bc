package mock

import (
	"context"
	"time"

	"github.com/charte/charte/internal/charte"
)

var _ charte.UserService = (*UserService)(nil)

// UserService is a fake [charte.UserService].
type UserService struct {
	CreateUserFn         func(ctx context.Context, u *charte.User) error
	FindUserByNameFn     func(ctx context.Context, name string) (*charte.User, error)
	FindUserByIDFn       func(ctx context.Context, id int64) (*charte.User, error)
	FindUsersFn          func(ctx context.Context) ([]*charte.User, error)
	UpdateUserPasswordFn func(ctx context.Context, name, passwordHash string) error
}

// CreateUser calls CreateUserFn.
func (s *UserService) CreateUser(ctx context.Context, u *charte.User) error {
	return s.CreateUserFn(ctx, u)
}

// FindUserByName calls FindUserByNameFn.
func (s *UserService) FindUserByName(ctx context.Context, name string) (*charte.User, error) {
	return s.FindUserByNameFn(ctx, name)
}

// FindUserByID calls FindUserByIDFn.
func (s *UserService) FindUserByID(ctx context.Context, id int64) (*charte.User, error) {
	return s.FindUserByIDFn(ctx, id)
}

// FindUsers calls FindUsersFn.
func (s *UserService) FindUsers(ctx context.Context) ([]*charte.User, error) {
	return s.FindUsersFn(ctx)
}

// UpdateUserPassword calls UpdateUserPasswordFn.
func (s *UserService) UpdateUserPassword(ctx context.Context, name, passwordHash string) error {
	return s.UpdateUserPasswordFn(ctx, name, passwordHash)
}

var _ charte.SessionService = (*SessionService)(nil)

// SessionService is a fake [charte.SessionService].
type SessionService struct {
	CreateSessionFn         func(ctx context.Context, s *charte.Session) error
	TouchSessionFn          func(ctx context.Context, tokenHash string, now time.Time, idle time.Duration) (*charte.Session, error)
	DeleteSessionFn         func(ctx context.Context, tokenHash string) error
	DeleteExpiredSessionsFn func(ctx context.Context, now time.Time, idle time.Duration) (int64, error)
}

// CreateSession calls CreateSessionFn.
func (s *SessionService) CreateSession(ctx context.Context, sess *charte.Session) error {
	return s.CreateSessionFn(ctx, sess)
}

// TouchSession calls TouchSessionFn.
func (s *SessionService) TouchSession(ctx context.Context, tokenHash string, now time.Time, idle time.Duration) (*charte.Session, error) {
	return s.TouchSessionFn(ctx, tokenHash, now, idle)
}

// DeleteSession calls DeleteSessionFn.
func (s *SessionService) DeleteSession(ctx context.Context, tokenHash string) error {
	return s.DeleteSessionFn(ctx, tokenHash)
}

// DeleteExpiredSessions calls DeleteExpiredSessionsFn.
func (s *SessionService) DeleteExpiredSessions(ctx context.Context, now time.Time, idle time.Duration) (int64, error) {
	return s.DeleteExpiredSessionsFn(ctx, now, idle)
}

var _ charte.StatsService = (*StatsService)(nil)

// StatsService is a fake [charte.StatsService].
type StatsService struct {
	DecisionStatsFn func(ctx context.Context, filter charte.StatsFilter) ([]charte.DayStats, error)
}

// DecisionStats calls DecisionStatsFn.
func (s *StatsService) DecisionStats(ctx context.Context, filter charte.StatsFilter) ([]charte.DayStats, error) {
	return s.DecisionStatsFn(ctx, filter)
}
