"""(to be written: see issue 18)"""

from fastapi import APIRouter

router = APIRouter()
