import { UserForm } from "../../components/users/UserForm";
import { UserTable } from "../../components/users/UserTable";
import { TEAM_CALLS } from "./users";

/** The tenant's people (owners only): role and last sign-in; invite, change role, remove. */
export default function TeamPage() {
  return (
    <>
      <h1>Team</h1>
      <UserForm
        calls={TEAM_CALLS}
        defaultRole="developer"
        className="card"
        labelledBy="invite-title"
        heading={<h2 id="invite-title">Invite a member</h2>}
        created={(user) => (
          <p className="alert alert-info" role="status">
            {user.email} can now sign in with the password you chose.
          </p>
        )}
        submitText="Invite"
        pendingText="Inviting…"
      />
      <section className="section" aria-labelledby="team-list">
        <h2 id="team-list">Members</h2>
        <UserTable
          calls={TEAM_CALLS}
          caption="Members"
          empty="No members yet. Invite someone above."
          createdHeader="Member since"
          removeText="Remove member"
        />
      </section>
    </>
  );
}
