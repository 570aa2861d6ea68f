"""Forms: one per registration step, the volunteer's own profile form, and the coordinator's actions.

Every field is checked on the server with a message that says what is wrong. Forms never
write to models: views hand their cleaned data to a service (no populate_obj).

- ``fields``: the fields and checks the registration steps and the profile form share
- ``registration``: one form per step of the wizard, and the password chosen at the end
- ``profile``: the volunteer's own profile
- ``coordinators``: status changes and the child certificate

Callers import from this package; the modules are how it reads, not an interface.
"""

from volunteer_hub.volunteers.forms.coordinators import ActionForm, CertificateForm, ReasonForm
from volunteer_hub.volunteers.forms.fields import (
    INDEPENDENT,
    MAIN_LANGUAGES,
    MAX_ABOUT_LENGTH,
    MAX_CAPACITY,
    CodeChecklist,
    current_language_default,
    language_field_name,
    organisation_choices,
)
from volunteer_hub.volunteers.forms.profile import ProfileForm
from volunteer_hub.volunteers.forms.registration import (
    AboutForm,
    ChoosePasswordForm,
    ConsentForm,
    ContactForm,
    HelpForm,
    LanguagesForm,
    OrganisationForm,
    SkillsForm,
    SubmitForm,
)

__all__ = [
    "INDEPENDENT",
    "MAIN_LANGUAGES",
    "MAX_ABOUT_LENGTH",
    "MAX_CAPACITY",
    "AboutForm",
    "ActionForm",
    "CertificateForm",
    "ChoosePasswordForm",
    "CodeChecklist",
    "ConsentForm",
    "ContactForm",
    "HelpForm",
    "LanguagesForm",
    "OrganisationForm",
    "ProfileForm",
    "ReasonForm",
    "SkillsForm",
    "SubmitForm",
    "current_language_default",
    "language_field_name",
    "organisation_choices",
]
