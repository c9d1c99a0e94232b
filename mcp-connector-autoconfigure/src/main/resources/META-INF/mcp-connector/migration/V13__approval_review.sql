-- The approver sees the whole canonical arguments (issue 23): no longer cut to 1,024 characters.
alter table mcp_approval alter column preview type text;
