"""What several commands share, each module named for what it is: the checklist run, publishing
on the commit, the revert, running criteria, the pull-request answer. A command imports flows,
never another command."""
