"""Routes for young people's wishes and feelings and advocacy for children: thin, each declaring who may use it.

Who may do what with each object is decided in portal/access.py and portal/wishes/services.py;
anyone else gets a 404.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from wtforms import SelectChoice

from portal import drafts
from portal.access import can_schedule_conference, signed_in
from portal.cases.access import get_case_for, get_child_for
from portal.wishes.access import get_child_and_wishes_for, get_wishes_for
from portal.cases.conferences import Status, get_conference_for, has_started
from portal.cases.relationships import relationship_label
from portal.db import db
from portal.forms import EmptyForm
from portal.roles import Role
from portal.wishes import bp, labels, services
from portal.wishes.forms import (OTHER_PERSON, SELF, AllocateForm, AudienceForm, ConsentForm, NeedPlanForm, OfferForm,
                                 RecordConsentForm, ShareForm, WishesForm)
from portal.i18n import isolate

WRITERS = (Role.YOUNG_PERSON, Role.ADVOCATE)
READERS = (Role.PARENT, Role.CARER, Role.YOUNG_PERSON, Role.ADVOCATE, Role.SOCIAL_WORKER, Role.CHAIR, Role.SQA_MANAGER)


def _status() -> int:
    return 200 if request.method == "GET" else 400


def _page(wishes) -> dict:
    """What every wishes page needs: the child's age on the conference day and the words for it."""
    age = services.age_for(wishes)
    is_child = services.own_child(current_user, wishes.case_id) is not None
    return {"wishes": wishes, "child": wishes.child, "age": age, "parts": services.parts_for(age),
            "younger": is_child and services.is_younger(age), "is_child": is_child, "labels": labels,
            "family_page": current_user.is_family}


@bp.route("/cases/<reference>/conferences/<int:conference_id>/children/<int:child_id>/wishes", methods=["GET", "POST"])
@signed_in(*WRITERS)
def start(reference: str, conference_id: int, child_id: int):
    """Before they start: who will read it, that they choose who else sees each part, and when adults must act."""
    case = get_case_for(current_user, reference)
    conference = get_conference_for(case, conference_id)
    child, existing = get_child_and_wishes_for(case, conference, child_id)
    if not services.writes_for(current_user, child):
        abort(404)
    open_ = conference.status == Status.SCHEDULED and not has_started(conference)
    form = EmptyForm()
    if request.method == "POST":
        if not open_ or not services.may_start(current_user, child):
            abort(404)
        if form.validate_on_submit():
            wishes = services.start(conference, child, current_user)
            return redirect(url_for("wishes.edit", reference=case.reference, wishes_id=wishes.id), code=303)
    age = services.age_at(child, services.rules_day(case.id, conference))
    is_child = services.own_child(current_user, case.id) is not None
    return render_template("wishes/start.html", case=case, conference=conference, child=child, existing=existing,
                           open_=open_, form=form, younger=is_child and services.is_younger(age), is_child=is_child,
                           may_start=services.may_start(current_user, child),
                           can_help=existing is not None and bool(services.editable_parts(current_user, existing)),
                           cancelled=conference.status == Status.CANCELLED,
                           advocate=services.advocate_of(child), family_page=current_user.is_family), _status()


def _editable_or_read(case, wishes):
    editable = services.editable_parts(current_user, wishes)
    if not editable:
        return None, redirect(url_for("wishes.read", reference=case.reference, wishes_id=wishes.id), code=303)
    return editable, None


@bp.route("/cases/<reference>/wishes/<int:wishes_id>", methods=["GET", "POST"])
@signed_in(*WRITERS)
def edit(reference: str, wishes_id: int):
    """The three houses, what the meeting should know, and who should be there. Drafts save as they type."""
    case = get_case_for(current_user, reference)
    wishes, visible = get_wishes_for(current_user, case, wishes_id)
    editable, elsewhere = _editable_or_read(case, wishes)
    if elsewhere:
        return elsewhere
    page = _page(wishes)
    form = WishesForm(obj=wishes if request.method == "GET" else None)
    if request.method == "GET":
        form.revision.data = str(wishes.revision)
    conflict = None
    names = [name for name in services.TEXT_PARTS if name in editable]
    if form.validate_on_submit():
        sent = [name for name in names if name in request.form]  # only the boxes on this person's page
        if services.save(wishes, current_user, form.values(sent), services.parse_revision(form.revision.data)):
            if "need_plan" in editable and services.asks_need_plan(page["age"]):
                return redirect(url_for("wishes.need_plan", reference=case.reference, wishes_id=wishes.id), code=303)
            if services.may_choose_audience(current_user, wishes):
                return redirect(url_for("wishes.audience", reference=case.reference, wishes_id=wishes.id), code=303)
            flash(_("Saved. The young person can see what you wrote."), "success")
            return redirect(url_for("wishes.edit", reference=case.reference, wishes_id=wishes.id), code=303)
        db.session.refresh(wishes)
        conflict = wishes
        form.revision.data = str(wishes.revision)
    return render_template("wishes/edit.html", case=case, form=form, names=names, conflict=conflict, **page), \
        200 if request.method == "GET" else (409 if conflict else 400)


@bp.post("/cases/<reference>/wishes/<int:wishes_id>/autosave")
@signed_in(*WRITERS)
def autosave(reference: str, wishes_id: int):
    """Save the draft as they type (htmx). Without htmx, the normal save button is used instead."""
    case = get_case_for(current_user, reference)
    wishes, visible = get_wishes_for(current_user, case, wishes_id)
    if not request.headers.get("HX-Request"):
        return redirect(url_for("wishes.edit", reference=case.reference, wishes_id=wishes.id), code=303)
    editable = services.editable_parts(current_user, wishes)
    form = WishesForm()
    if not editable or not form.validate_on_submit():
        return render_template("wishes/_autosave_status.html", problem="closed" if not editable else "invalid"), \
            200, {"Vary": "HX-Request"}
    names = [name for name in services.TEXT_PARTS if name in editable and name in request.form]
    saved = services.save(wishes, current_user, form.values(names), services.parse_revision(form.revision.data))
    return render_template("wishes/_autosave_status.html", wishes=wishes, problem=None if saved else "conflict"), \
        200, {"Vary": "HX-Request"} | ({drafts.SAVED_HEADER: "1"} if saved else {})


@bp.route("/cases/<reference>/wishes/<int:wishes_id>/need-a-plan", methods=["GET", "POST"])
@signed_in(*WRITERS)
def need_plan(reference: str, wishes_id: int):
    """From 14: "Do you feel you need a child protection plan to help keep you safe?" and why."""
    case = get_case_for(current_user, reference)
    wishes, visible = get_wishes_for(current_user, case, wishes_id)
    editable, elsewhere = _editable_or_read(case, wishes)
    if elsewhere:
        return elsewhere
    page = _page(wishes)
    if "need_plan" not in editable or not services.asks_need_plan(page["age"]):
        abort(404)
    form = NeedPlanForm(obj=wishes if request.method == "GET" else None)
    if request.method == "GET":
        form.revision.data = str(wishes.revision)
    conflict = False
    if form.validate_on_submit():
        based_on = services.parse_revision(form.revision.data)
        if services.save(wishes, current_user, {"need_plan": form.need_plan.data, "need_plan_why": form.need_plan_why.data},
                         based_on):
            if services.may_choose_audience(current_user, wishes):
                return redirect(url_for("wishes.audience", reference=case.reference, wishes_id=wishes.id), code=303)
            return redirect(url_for("wishes.edit", reference=case.reference, wishes_id=wishes.id), code=303)
        db.session.refresh(wishes)
        conflict = True
        form.revision.data = str(wishes.revision)
    return render_template("wishes/need_plan.html", case=case, form=form, conflict=conflict, **page), \
        200 if request.method == "GET" else (409 if conflict else 400)


def _person_label(participant) -> Markup:
    """A name (and the relationship typed by staff), isolated so it reads right inside Arabic or Urdu."""
    name = Markup("<bdi>%s</bdi>") % participant.user.name
    if participant.role == Role.ADVOCATE.value:
        return Markup(_("%(name)s (your advocate)", name=name))
    if participant.relationship_to_child:
        return name + Markup(" (<bdi>%s</bdi>)") % relationship_label(participant.relationship_to_child)
    return name


@bp.route("/cases/<reference>/wishes/<int:wishes_id>/who-can-see", methods=["GET", "POST"])
@signed_in(*WRITERS)
def audience(reference: str, wishes_id: int):
    """For each part: the chair and the social worker always; their parents and carers, and their advocate, if they choose."""
    case = get_case_for(current_user, reference)
    wishes, visible = get_wishes_for(current_user, case, wishes_id)
    if not services.may_choose_audience(current_user, wishes):
        abort(404)
    page = _page(wishes)
    people = services.audience_choices(wishes)
    form = AudienceForm()
    form.set_choices([(p.id, _person_label(p)) for p in people])
    if request.method == "GET":
        for part, chosen in services.audience(wishes).items():
            form[part].data = sorted(chosen)
    if form.validate_on_submit():
        services.choose_audience(wishes, current_user, form.chosen())
        return redirect(url_for("wishes.check", reference=case.reference, wishes_id=wishes.id), code=303)
    someone_kept = bool(services.kept_from_child(case.id))
    return render_template("wishes/audience.html", case=case, form=form, people=people, someone_kept=someone_kept,
                           **page), _status()


@bp.route("/cases/<reference>/wishes/<int:wishes_id>/check", methods=["GET", "POST"])
@signed_in(*WRITERS)
def check(reference: str, wishes_id: int):
    """Check what you wrote and who sees each part, then share it."""
    case = get_case_for(current_user, reference)
    wishes, visible = get_wishes_for(current_user, case, wishes_id)
    if not services.may_choose_audience(current_user, wishes):
        abort(404)
    page = _page(wishes)
    form = ShareForm()
    writes_as_advocate = current_user.id == wishes.author_id and wishes.written_by != services.WrittenBy.CHILD \
        and wishes.status == "draft"
    if request.method == "GET" and writes_as_advocate:
        form.written_by.data = wishes.written_by
    if form.validate_on_submit():
        if writes_as_advocate and form.written_by.data not in (services.WrittenBy.ADVOCATE_WROTE,
                                                               services.WrittenBy.ADVOCATE_SPEAKING):
            form.written_by.errors.append(_("Select how the conference should see these wishes and feelings"))
        else:
            if services.share(wishes, current_user, form.written_by.data):
                flash(_("Shared. The chair and the social worker can read it now."), "success")
            else:
                flash(_("Saved. Everyone you chose sees the changes."), "success")
            return redirect(url_for("wishes.read", reference=case.reference, wishes_id=wishes.id), code=303)
    chosen = services.audience(wishes)
    names = {p.id: p.user.name for p in services.audience_choices(wishes)}
    return render_template("wishes/check.html", case=case, form=form, chosen=chosen, names=names,
                           writes_as_advocate=writes_as_advocate, **page), _status()


@bp.get("/cases/<reference>/wishes/<int:wishes_id>/read")
@signed_in(*READERS)
def read(reference: str, wishes_id: int):
    """A child's wishes and feelings: only the parts this person may see (the rest is never on the page)."""
    case = get_case_for(current_user, reference)
    wishes, visible = get_wishes_for(current_user, case, wishes_id)
    page = _page(wishes)
    shown = [part for part in page["parts"] if part in visible]
    mine = page["is_child"] or current_user.id == wishes.author_id
    chosen = services.audience(wishes) if mine else {}
    names = {p.id: p.user.name for p in services.audience_choices(wishes)} if mine else {}
    return render_template("wishes/read.html", case=case, shown=shown, mine=mine, chosen=chosen, names=names,
                           can_edit=bool(services.editable_parts(current_user, wishes)),
                           can_choose=services.may_choose_audience(current_user, wishes), **page)


# --- advocacy for children -----------------------------------------------------------------------

def _advocacy_context(case, child) -> dict:
    day = services.rules_day(case.id)
    age = services.age_at(child, day)
    advocacy = services.advocacy_of(child)
    return {"case": case, "child": child, "age": age, "advocacy": advocacy,
            "status": services.advocacy_status(advocacy, age), "self_consent": services.consents_for_self(age),
            "status_labels": labels.ADVOCACY_STATUS_LABELS}


def _summary(case, child):
    """Back to where the child's advocacy stands (after acting, or when there is nothing to do here)."""
    return redirect(url_for("wishes.advocacy", reference=case.reference, child_id=child.id), code=303)


def _for_social_worker(reference: str, child_id: int):
    """The case, the child and where their advocacy stands, for the case's allocated social worker (else 404)."""
    case = get_case_for(current_user, reference)
    child = get_child_for(case, child_id)
    if not can_schedule_conference(current_user, case):
        abort(404)
    return case, child, _advocacy_context(case, child)


@bp.get("/cases/<reference>/children/<int:child_id>/advocacy")
@signed_in(Role.SOCIAL_WORKER, Role.CHAIR, Role.SQA_MANAGER)
def advocacy(reference: str, child_id: int):
    """Where advocacy for one child stands: the offer, the consent it needs for their age, the advocate."""
    case = get_case_for(current_user, reference)
    child = get_child_for(case, child_id)
    if not services.sees_child_advocacy(current_user, case.id):
        abort(404)
    context = _advocacy_context(case, child)
    return render_template("wishes/advocacy.html", can_act=can_schedule_conference(current_user, case),
                           free_advocates=services.free_advocates(child), **context)


@bp.route("/cases/<reference>/children/<int:child_id>/advocacy/offer", methods=["GET", "POST"])
@signed_in(Role.SOCIAL_WORKER)
def advocacy_offer(reference: str, child_id: int):
    """The social worker records the advocacy offer to a child: when, and what the child said."""
    case, child, context = _for_social_worker(reference, child_id)
    if context["status"] == services.AdvocacyStatus.ALLOCATED:
        return _summary(case, child)
    form = OfferForm(obj=context["advocacy"] if request.method == "GET" else None)
    if form.validate_on_submit():
        services.record_offer(child, current_user, form.offered_on.data, form.response.data)
        flash(_("Advocacy offer saved."), "success")
        return _summary(case, child)
    return render_template("wishes/advocacy_offer.html", form=form, **context), _status()


@bp.route("/cases/<reference>/children/<int:child_id>/advocacy/record-consent", methods=["GET", "POST"])
@signed_in(Role.SOCIAL_WORKER)
def advocacy_record_consent(reference: str, child_id: int):
    """The social worker records consent given outside the portal, by the right person for the child's age."""
    case, child, context = _for_social_worker(reference, child_id)
    if context["status"] == services.AdvocacyStatus.ALLOCATED:
        return _summary(case, child)
    givers = services.consent_givers(child)
    form = RecordConsentForm()
    if context["self_consent"]:
        # From 16 only the young person answers: their account if they have one, else them, named by the social worker.
        form.who.choices = [SelectChoice(str(p.id), isolate(p.user.name)) for p in givers] or [
            # i18n: an answer to 'Who gave consent?': the young person personally
            SelectChoice(SELF, Markup(_("%(name)s themselves", name=isolate(child.first_name))))]
    else:
        form.who.choices = [SelectChoice(str(p.id), isolate(p.user.name) + Markup(" (%s)") % isolate(relationship_label(p.relationship_to_child)) if p.relationship_to_child
                                         else p.user.name) for p in givers] + [
            SelectChoice(OTHER_PERSON, _("Someone else with parental responsibility"))]
    if form.validate_on_submit():
        participant = next((p for p in givers if str(p.id) == form.who.data), None)
        if participant is None and form.who.data not in {c.value for c in form.who.choices}:
            form.who.errors.append(_("Select who answered"))
        else:
            services.record_consent(child, current_user, participant=participant,
                                    other_name=(form.other_name.data or "").strip() if form.who.data == OTHER_PERSON else None,
                                    on=form.consent_on.data, given=form.answer.data == "given")
            flash(_("Consent saved."), "success")
            return _summary(case, child)
    return render_template("wishes/advocacy_record_consent.html", form=form, **context), _status()


@bp.route("/cases/<reference>/children/<int:child_id>/advocacy/consent", methods=["GET", "POST"])
@signed_in(Role.PARENT, Role.YOUNG_PERSON)
def advocacy_consent(reference: str, child_id: int):
    """A parent agrees (or not) to an advocate for their child under 16; a young person of 16 or over, for themselves."""
    case = get_case_for(current_user, reference)
    child = get_child_for(case, child_id)
    if not services.may_consent(current_user, child):
        abort(404)
    context = _advocacy_context(case, child)
    form = ConsentForm()
    if form.validate_on_submit():
        services.give_consent(child, current_user, form.answer.data == "given")
        flash(_("Thank you. Your answer has been sent to the social worker."), "success")
        return redirect(url_for("cases.home"), code=303)
    return render_template("wishes/advocacy_consent.html", form=form, family_page=True,
                           is_child=context["self_consent"] and current_user.role == Role.YOUNG_PERSON, **context), _status()


@bp.route("/cases/<reference>/children/<int:child_id>/advocacy/advocate", methods=["GET", "POST"])
@signed_in(Role.SOCIAL_WORKER)
def advocacy_allocate(reference: str, child_id: int):
    """Refer the child and allocate an advocate: only once the right person has consented."""
    case, child, context = _for_social_worker(reference, child_id)
    if context["status"] != services.AdvocacyStatus.READY:
        return _summary(case, child)
    advocates = services.free_advocates(child)
    form = AllocateForm()
    form.advocate.choices = [SelectChoice(p.id, isolate(p.user.name)) for p in advocates]
    if form.validate_on_submit():
        chosen = next((p for p in advocates if p.id == form.advocate.data), None)
        if chosen is None:
            form.advocate.errors.append(_("Select an advocate"))
        else:
            try:
                services.allocate(child, current_user, chosen)
            except PermissionError:
                return _summary(case, child)
            flash(_("Advocate allocated. They can now help %(name)s with their wishes and feelings.", name=child.first_name), "success")
            return _summary(case, child)
    return render_template("wishes/advocacy_allocate.html", form=form, advocates=advocates, **context), _status()


@bp.route("/cases/<reference>/my-advocate", methods=["GET", "POST"])
@signed_in(Role.YOUNG_PERSON)
def my_advocate(reference: str):
    """A young person's own page about having an advocate: what one does, where theirs stands, and asking for one."""
    case = get_case_for(current_user, reference)
    child = services.own_child(current_user, case.id)
    if child is None:
        abort(404)
    context = _advocacy_context(case, child)
    form = EmptyForm()
    can_ask = services.may_ask_for_advocate(context["status"])
    if request.method == "POST":
        if not can_ask:
            return redirect(url_for("wishes.my_advocate", reference=case.reference), code=303)
        if form.validate_on_submit():
            services.young_person_asks(child, current_user)
            flash(_("We have told your social worker you would like an advocate."), "success")
            return redirect(url_for("wishes.my_advocate", reference=case.reference), code=303)
    advocate = services.advocate_of(child)
    return render_template("wishes/my_advocate.html", form=form, can_ask=can_ask, advocate=advocate, family_page=True,
                           younger=services.is_younger(context["age"]), is_child=True,
                           may_consent=services.may_consent(current_user, child), **context), _status()
