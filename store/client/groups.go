package client

import (
	"context"
	"net/http"
	"net/url"

	"polku/store/api"
)

// The patient portal's peer groups and cohort messages (docs/groups.md).

// Groups lists the peer groups the patient is in, with their posts.
func (c *Client) Groups(ctx context.Context) (*api.GroupList, error) {
	var out api.GroupList
	_, err := c.do(ctx, http.MethodGet, "/v1/patient/groups", nil, nil, nil, &out)
	return &out, err
}

// GroupMessages lists the messages to the patient's cohorts.
func (c *Client) GroupMessages(ctx context.Context) (*api.GroupMessageList, error) {
	var out api.GroupMessageList
	_, err := c.do(ctx, http.MethodGet, "/v1/patient/group-messages", nil, nil, nil, &out)
	return &out, err
}

// JoinGroup joins a peer group with a join code under an alias.
func (c *Client) JoinGroup(ctx context.Context, key string, req api.JoinGroupRequest) (*api.Created, error) {
	var out api.Created
	_, err := c.do(ctx, http.MethodPost, "/v1/patient/groups/join", nil, keyHeader(key), req, &out)
	return &out, err
}

// Post posts to a peer group; it waits for moderation.
func (c *Client) Post(ctx context.Context, key, groupID string, req api.PostRequest) (*api.Created, error) {
	var out api.Created
	_, err := c.do(ctx, http.MethodPost, "/v1/patient/groups/"+url.PathEscape(groupID)+"/posts", nil, keyHeader(key), req, &out)
	return &out, err
}
