package dev.ratchet.raft;

import java.util.Map;
import java.util.TreeMap;

/**
 * Leader election (§5.2, §5.4.1) with pre-vote (thesis §9.6), the leader lease that protects a healthy leader
 * from disruptive candidates (thesis §4.2.3, check-quorum), and leadership transfer (thesis §3.10).
 */
final class Elections {

    private final RaftCore r;
    /** Votes received in the current (pre-)campaign, by voter. */
    private final Map<String, Boolean> votes = new TreeMap<>();

    Elections(RaftCore r) {
        this.r = r;
    }

    void clearVotes() {
        votes.clear();
    }

    void tickElection() {
        r.electionElapsed++;
        if (r.promotable() && r.electionElapsed >= r.randomizedElectionTimeout) {
            r.electionElapsed = 0;
            campaign(r.cfg.preVote(), false);
        }
    }

    /**
     * With check-quorum, a node that heard from a leader within the election timeout ignores (pre-)votes for a
     * higher term, so a rejoining partitioned node cannot depose a healthy leader. A transfer's vote passes.
     */
    boolean ignoreDisruptiveVote(Message m) {
        boolean voteRequest = m instanceof Message.PreVote
                || (m instanceof Message.Vote v && !v.leadershipTransfer());
        boolean inLease = r.cfg.checkQuorum() && r.leader != null && r.electionElapsed < r.cfg.electionTicks();
        return voteRequest && inLease;
    }

    /**
     * A message from an older term. A stale leader gets our term back so it steps down; this also unblocks a
     * node whose term was raised while partitioned (with pre-vote it could otherwise never win again).
     */
    void answerStaleTerm(Message m) {
        if ((r.cfg.checkQuorum() || r.cfg.preVote())
                && (m instanceof Message.AppendEntries || m instanceof Message.Heartbeat)) {
            r.send(new Message.AppendEntriesResponse(r.id, m.from(), r.term, false, 0, 0, 0));
        } else if (m instanceof Message.PreVote) {
            r.send(new Message.PreVoteResponse(r.id, m.from(), r.term, false));
        }
    }

    void campaign(boolean pre, boolean transfer) {
        if (!r.promotable()) {
            return;
        }
        long voteTerm;
        if (pre) {
            r.role = Role.PRE_CANDIDATE;
            r.leader = null;
            votes.clear();
            voteTerm = r.term + 1;
        } else {
            r.reset(r.term + 1);
            r.role = Role.CANDIDATE;
            r.votedFor = r.id;
            voteTerm = r.term;
        }
        if (tally(r.id, true)) {
            return;
        }
        long lastIndex = r.log.lastIndex();
        long lastTerm = r.log.lastTerm();
        for (String voter : r.conf().voters()) {
            if (voter.equals(r.id)) {
                continue;
            }
            r.send(pre ? new Message.PreVote(r.id, voter, voteTerm, lastIndex, lastTerm)
                    : new Message.Vote(r.id, voter, voteTerm, lastIndex, lastTerm, transfer));
        }
    }

    void handleVoteRequest(Message m) {
        boolean pre = m instanceof Message.PreVote;
        long lastIndex = pre ? ((Message.PreVote) m).lastLogIndex() : ((Message.Vote) m).lastLogIndex();
        long lastTerm = pre ? ((Message.PreVote) m).lastLogTerm() : ((Message.Vote) m).lastLogTerm();
        boolean canVote = m.from().equals(r.votedFor)
                || (r.votedFor == null && r.leader == null)
                || (pre && m.term() > r.term);
        boolean granted = canVote && r.log.isUpToDate(lastIndex, lastTerm);
        if (pre) {
            r.send(new Message.PreVoteResponse(r.id, m.from(), granted ? m.term() : r.term, granted));
        } else {
            if (granted) {
                r.electionElapsed = 0;
                r.votedFor = m.from();
            }
            r.send(new Message.VoteResponse(r.id, m.from(), r.term, granted));
        }
    }

    void handleVoteResponse(Message m) {
        if (m instanceof Message.PreVoteResponse p) {
            if (r.role == Role.PRE_CANDIDATE && (p.granted() ? p.term() == r.term + 1 : p.term() == r.term)) {
                tally(p.from(), p.granted());
            }
        } else if (m instanceof Message.VoteResponse v && r.role == Role.CANDIDATE && v.term() == r.term) {
            tally(v.from(), v.granted());
        }
    }

    /** Records a vote; returns true if the campaign was decided (won or lost). */
    private boolean tally(String voter, boolean granted) {
        if (!r.conf().voters().contains(voter)) {
            return false;
        }
        votes.putIfAbsent(voter, granted);
        long yes = votes.values().stream().filter(b -> b).count();
        long no = votes.size() - yes;
        if (yes >= r.quorum()) {
            if (r.role == Role.PRE_CANDIDATE) {
                campaign(false, false);
            } else {
                r.replication.becomeLeader();
            }
            return true;
        }
        if (no >= r.quorum()) {
            r.becomeFollower(r.term, null);
            return true;
        }
        return false;
    }

    void handleTimeoutNow(Message.TimeoutNow m) {
        if (r.role != Role.LEADER && r.promotable()) {
            campaign(false, true);
        }
    }

    void transferLeadership(String target) {
        if (!r.conf().voters().contains(target)) {
            throw new IllegalArgumentException(target + " is not a voter");
        }
        if (target.equals(r.id) || target.equals(r.leadTransferee)) {
            return;
        }
        r.leadTransferee = target;
        r.electionElapsed = 0;
        Progress pr = r.progress.get(target);
        if (pr.match == r.log.lastIndex()) {
            r.send(new Message.TimeoutNow(r.id, target, r.term));
        } else {
            r.replication.sendAppend(target, true);
        }
    }
}
